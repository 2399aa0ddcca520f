using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderFarm.Cli;
using RenderFarm.Core.Generation;
using RenderFarm.Inference;
using RenderFarm.Infrastructure.Persistence;
using RenderFarm.Worker;
using Spectre.Console;

namespace RenderFarm.Bench.Farm;

/// <summary>
/// <c>renderfarm render --count N</c> with the shipped model, run in-process through the CLI's own command (its
/// engine timed by a decorator) and as a process of its own (as a user runs it, installed by scripts/install-cli.sh),
/// against the bare ONNX engine rendering the same job's parameters in full batches.
/// </summary>
public static class EmbeddedScenario
{
    private const string Prompt = "a large red circle on the left of a white background";

    /// <param name="cli">The installed <c>renderfarm</c> executable the own-process run starts.</param>
    public static async Task<EmbeddedSample> RunAsync(string root, int count, int bareBatches, string cli, CancellationToken cancellationToken)
    {
        var models = Path.Combine(root, "models");
        var data = Directory.CreateTempSubdirectory("renderfarm-bench-embedded-");
        try
        {
            var meter = new EngineMeter();
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
            var command = CliApplication.Create(console, services => services.DecorateImageGenerator(engine => new MeteredImageGenerator(engine, meter)));
            var stopwatch = Stopwatch.StartNew();
            var exit = await command
                .Parse(["render", Prompt, "--count", $"{count}", "--out", Path.Combine(data.FullName, "renders"), "--data", data.FullName, "--models", models])
                .InvokeAsync(cancellationToken: cancellationToken);
            var commandSeconds = stopwatch.Elapsed.TotalSeconds;
            if (exit != 0)
            {
                throw new InvalidOperationException($"renderfarm render exited with {exit}.");
            }

            var job = await ReadJobAsync(Path.Combine(data.FullName, "renderfarm.db"), cancellationToken);
            // The bench's own leftovers of the in-process run (its JIT compiling what that run made hot) must not share
            // the cores with the command's own process.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var (freshJobSeconds, freshCommandSeconds) = await RunFreshProcessAsync(cli, root, models, count, data.CreateSubdirectory("fresh"), cancellationToken);
            // The engine's best alone: ONNX Runtime's spinning threads help a process that does nothing else, and the
            // embedded farm turns them off; the reference is whichever is faster here.
            var bare = Math.Max(
                await BareImagesPerSecondAsync(Path.Combine(models, job.Model), job, bareBatches, allowSpinning: true, cancellationToken),
                await BareImagesPerSecondAsync(Path.Combine(models, job.Model), job, bareBatches, allowSpinning: false, cancellationToken));
            return new EmbeddedSample(count, commandSeconds, JobSeconds(job), freshJobSeconds, freshCommandSeconds, meter.Read(), bare);
        }
        finally
        {
            // The embedded farm pools SQLite connections; release them so the folder can go.
            SqliteConnection.ClearAllPools();
            data.Delete(recursive: true);
        }
    }

    /// <summary>The same command as its own process, as installed.</summary>
    /// <returns>Its job's seconds, created → finished, and the whole command's.</returns>
    private static async Task<(double Job, double Command)> RunFreshProcessAsync(string cli, string root, string models, int count, DirectoryInfo data, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var process = ChildProcess.Start(
            "renderfarm", cli, ["render", Prompt, "--count", $"{count}", "--out", Path.Combine(data.FullName, "renders"), "--data", data.FullName, "--models", models],
            new Dictionary<string, string>(), root, Path.Combine(data.FullName, "render.log"));
        if (await process.WaitForExitAsync(cancellationToken) is not 0 and var exit)
        {
            throw new InvalidOperationException($"renderfarm render (its own process) exited with {exit}:{Environment.NewLine}{process.Tail()}");
        }

        var command = stopwatch.Elapsed.TotalSeconds;
        return (JobSeconds(await ReadJobAsync(Path.Combine(data.FullName, "renderfarm.db"), cancellationToken)), command);
    }

    private static double JobSeconds(Core.Jobs.RenderJob job) => (job.FinishedAt!.Value - job.CreatedAt).TotalSeconds;

    private static async Task<Core.Jobs.RenderJob> ReadJobAsync(string database, CancellationToken cancellationToken)
    {
        await using var db = new RenderFarmDbContext(new DbContextOptionsBuilder<RenderFarmDbContext>().UseSqlite($"Data Source={database}").Options);
        return await db.Jobs.AsNoTracking().SingleAsync(cancellationToken);
    }

    /// <summary>The engine alone on the embedded job's model, size, steps and guidance, in full batches as a worker forms them.</summary>
    private static async Task<double> BareImagesPerSecondAsync(string modelFolder, Core.Jobs.RenderJob job, int batches, bool allowSpinning, CancellationToken cancellationToken)
    {
        using var generator = new OnnxImageGenerator(Options.Create(new InferenceOptions
        {
            Models = [new InferenceModelOptions { Name = job.Model, Path = modelFolder }],
            AllowSpinning = allowSpinning,
        }));
        var batchSize = new WorkerOptions().BatchSize;
        GenerationBatch Batch(int n) => new(
            job.Model, job.Width, job.Height, job.Steps, job.Guidance,
            [.. Enumerable.Range(0, batchSize).Select(i => new GenerationItem(Prompt, "", (n * batchSize) + i))]);

        // Load the model and warm the JIT and ONNX Runtime's allocators before timing.
        for (var n = 0; n < 5; n++)
        {
            await generator.GenerateAsync(Batch(n), null, cancellationToken);
        }

        var stopwatch = Stopwatch.StartNew();
        for (var n = 0; n < batches; n++)
        {
            await generator.GenerateAsync(Batch(n), null, cancellationToken);
        }

        return batches * batchSize / stopwatch.Elapsed.TotalSeconds;
    }
}

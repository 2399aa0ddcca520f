using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RenderFarm.Coordinator;
using RenderFarm.Coordinator.Dispatch;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Models;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Jobs;
using RenderFarm.Inference;
using RenderFarm.Inference.Models;
using RenderFarm.Infrastructure.Messaging;
using RenderFarm.Infrastructure.Persistence;
using RenderFarm.Infrastructure.Telemetry;
using RenderFarm.Worker;
using RenderFarm.Worker.Rendering;

namespace RenderFarm.Cli.Farms;

/// <summary>
/// The whole farm in one process: coordinator and worker over MassTransit's in-memory transport, SQLite and a
/// local folder. The services are the farm's own, telemetry included; only the configuration differs from a deployment.
/// </summary>
public static class EmbeddedFarm
{
    /// <param name="modelsDirectory">Folder whose sub-folders are models in the diffusers ONNX layout, each named by its folder.</param>
    /// <param name="dataDirectory">Where the database and images live; a temporary folder, removed afterwards, when null.</param>
    /// <param name="configureServices">Lets tests swap services, such as the engine.</param>
    public static async Task<IFarmClient> StartAsync(
        string modelsDirectory,
        string? dataDirectory,
        Action<IServiceCollection>? configureServices,
        CancellationToken cancellationToken)
    {
        // Before anything starts: a mistyped --models is answered at once, not after the farm's start-up.
        var models = Path.GetFullPath(modelsDirectory);
        if (!Directory.Exists(models) || !Directory.EnumerateDirectories(models).Any(ModelFolderReader.IsModelFolder))
        {
            throw new NoModelException(Directory.Exists(models)
                ? $"{models} holds no model folder (a folder with model_index.json)."
                : $"{models} does not exist.");
        }

        var temporary = dataDirectory is null ? Directory.CreateTempSubdirectory("renderfarm-").FullName : null;
        var data = Path.GetFullPath(dataDirectory ?? temporary!);
        Directory.CreateDirectory(data);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = data });
        builder.Configuration.AddInMemoryCollection(Settings(models, data));
        builder.Configuration.AddInMemoryCollection(TelemetryFromEnvironment());
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            // Its keys protect webhook secrets and image links inside this user's own database file: nothing to configure.
            .AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        builder.Services.AddCoordinatorServices(builder.Configuration);
        builder.Services.AddWorkerServices(builder.Configuration);
        builder.Services.AddOnnxInference();
        builder.Services.AddRenderFarmTelemetry(builder.Configuration, "renderfarm-cli");
        configureServices?.Invoke(builder.Services);
        // As on a worker: the models are loaded and warmed up before the first job, not in its first batch.
        builder.Services.AddHostedService<ModelPreloader>();
        builder.Services.AddRenderFarmBus(builder.Configuration, new CoordinatorBusParticipant(), new WorkerBusParticipant());
        // Data protection reads (on a new database: creates) its key ring at start, 0.2 s of every command's start-up,
        // for webhook secrets and signed links a render never uses: here the ring is made when first needed.
        builder.Services.Remove(builder.Services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "DataProtectionHostedService"));

        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        await WaitForCatalogAsync(host, cancellationToken);
        await WarmUpSubmissionAsync(host, cancellationToken);
        return new EmbeddedFarmClient(host, temporary);
    }

    /// <summary>A job is checked against the catalog, which the worker's first heartbeat fills: wait for it (it is sent at start).</summary>
    private static async Task WaitForCatalogAsync(IHost host, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            await using (var scope = host.Services.CreateAsyncScope())
            {
                if ((await scope.ServiceProvider.GetRequiredService<ModelCatalogService>().GetAsync(deadline.Token)).Models.Any(m => m.Workers.Count > 0))
                {
                    return;
                }
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    /// <summary>
    /// Submits a small job, reads it as the progress display does, rehearses its dispatch, and rolls it all back: a
    /// process's first submission, job view and dispatch round compile EF Core's queries, inserts and updates and the
    /// JIT's code for them (0.2 s of a 2-second job here, measured, and ~50 ms more for the round); the user's job
    /// should not pay for that.
    /// </summary>
    private static async Task WarmUpSubmissionAsync(IHost host, CancellationToken cancellationToken)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RenderFarmDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var model = host.Services.GetRequiredService<IImageGenerator>().Models.First();
        var (accepted, _) = await scope.ServiceProvider.GetRequiredService<JobService>().SubmitAsync(
            new JobRequest { Model = model, Prompts = [$"warm-up {Guid.NewGuid()}"], Count = 8 }, cancellationToken);
        if (accepted is not null)
        {
            await scope.ServiceProvider.GetRequiredService<JobQueries>().GetAsync(accepted.Id, cancellationToken);
            await scope.ServiceProvider.GetRequiredService<ImageDispatcher>().RehearseAsync(cancellationToken);
        }

        await transaction.RollbackAsync(cancellationToken);
    }

    /// <summary>
    /// The <c>Telemetry</c> section from the environment (<c>Telemetry__OtlpEndpoint</c>...), so an embedded run sends
    /// its traces and metrics to a collector as a deployed farm does; nothing else of the environment applies here.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, string?>> TelemetryFromEnvironment() =>
        new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection(TelemetryOptions.SectionName).AsEnumerable();

    private static Dictionary<string, string?> Settings(string modelsDirectory, string data)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(data, "renderfarm.db")}",
            // The one process is the whole farm, so it creates its own schema.
            ["Database:MigrateOnStartup"] = "true",
            ["Bus:Transport"] = "InMemory",
            ["Storage:Provider"] = "LocalFolder",
            ["Storage:LocalPath"] = Path.Combine(data, "images"),
            ["Worker:Id"] = $"embedded-{Environment.ProcessId}",
            ["Dispatch:PollInterval"] = "00:00:00.100",
            // Here the farm's own work (encoding, storing, recording, the next round) runs in the engine's gaps, so a
            // batch's result comes back ~125 ms after it rather than within the default 100 ms, and the engine ran dry
            // at every such round trip: queued for 300 ms of its pace, it always holds its next batches (measured, 8 and
            // 4 alternating runs: 200 images 1.04 -> 1.00 s, 1,000 images 4.76 -> 4.30 s; 600 ms gained nothing more).
            ["Dispatch:RoundTripAllowance"] = "00:00:00.300",
            // The CPU engine shares this process's cores with the farm's own work (see InferenceOptions.AllowSpinning).
            ["Inference:AllowSpinning"] = "false",
            // Two engine calls at once on half the cores each, rather than one on all: a session on every core waits at
            // each kernel for the core the farm's encoding and recording hold, and between batches the cores idle; two
            // fill each other's gaps (measured over 1,000 images: 59 % → 71 % of the bare engine).
            ["Worker:GpuSlots"] = "2",
            ["Worker:ConcurrentBatches"] = "4",
            ["Inference:IntraOpThreads"] = $"{Math.Max(1, Environment.ProcessorCount / 2)}",
            // A laptop waits for its images; zlib level 6 took as much CPU as the tiny model's engine for 15-25 % smaller files.
            ["Encoding:PngCompressionLevel"] = "1",
        };

        // The in-process worker reads the folder (with each model's renderfarm.json) and advertises what it finds; the
        // catalog, its sizes and defaults come from that, as on a farm.
        settings["Inference:ModelsRoot"] = modelsDirectory;
        return settings;
    }
}

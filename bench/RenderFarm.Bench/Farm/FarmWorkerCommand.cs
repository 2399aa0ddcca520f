using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RenderFarm.Core.Generation;
using RenderFarm.Infrastructure.Messaging;
using RenderFarm.Worker;
using RenderFarm.Worker.Rendering;

namespace RenderFarm.Bench.Farm;

/// <summary>
/// <c>farm-worker --engine zero|per-image:MS|per-batch:MS --model NAME --id ID --report FILE</c>: a worker process
/// composed exactly as src/RenderFarm.Worker/Program.cs composes it, with a <see cref="FakeEngine"/> for the ONNX
/// engine. Configured like the real worker (environment variables, the worker's appsettings.json). It keeps its
/// <see cref="EngineUsage"/> as JSON in the report file: rewritten every <see cref="ReportInterval"/> and on shutdown.
/// </summary>
public static class FarmWorkerCommand
{
    /// <summary>How stale the report may be while the worker runs; an idle worker's report is exact after this long.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(250);

    private static readonly Lock WriteLock = new();

    public static async Task RunAsync(string root, string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = CommandLineOptions.Parse(args);
        var engine = EngineSpec.Parse(options.Required("engine"));
        var report = options.Required("report");
        var meter = new EngineMeter();

        // The worker project's folder as content root: its appsettings.json (log levels) applies, as in a deployment.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Path.Combine(root, "src", "RenderFarm.Worker"),
        });
        builder.Configuration.AddInMemoryCollection([new("Worker:Id", options.Required("id"))]);

        builder.Services.AddWorkerServices(builder.Configuration);
        builder.Services.AddSingleton<IImageGenerator>(new MeteredImageGenerator(new FakeEngine(engine, options.Required("model")), meter));
        builder.Services.AddHostedService<ModelPreloader>();
        builder.Services.AddRenderFarmBus(builder.Configuration, new WorkerBusParticipant());

        using (var host = builder.Build())
        using (new Timer(_ => Write(report, meter.Read()), null, TimeSpan.Zero, ReportInterval))
        {
            await host.RunAsync();
        }

        Write(report, meter.Read());
    }

    /// <summary>Replaces the file whole, so the bench never reads half a report.</summary>
    private static void Write(string report, EngineUsage usage)
    {
        // Timer callbacks overlap when the machine is busy; they would share the temporary file.
        lock (WriteLock)
        {
            var temporary = report + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(usage));
            File.Move(temporary, report, overwrite: true);
        }
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RenderFarm.Core.Telemetry;
using RenderFarm.Infrastructure.Imaging;
using RenderFarm.Worker.Control;
using RenderFarm.Worker.Health;
using RenderFarm.Worker.Heartbeats;
using RenderFarm.Worker.Models;
using RenderFarm.Worker.Rendering;

namespace RenderFarm.Worker;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>
    /// Everything a worker needs but its engine and the bus, so the embedded mode can host it beside the coordinator.
    /// No database and no store credentials: work and upload addresses come in messages, results leave as messages.
    /// </summary>
    public static IServiceCollection AddWorkerServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkerOptions>()
            .BindConfiguration(WorkerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddRenderFarmImageEncoding();

        services.AddSingleton<RenderQueue>();
        services.AddSingleton<EngineBatchTimes>();
        services.AddHostedService<RenderLoop>();
        services.AddSingleton<RenderStatistics>();
        services.AddSingleton<HeldImages>();
        services.AddSingleton(sp =>
        {
            var worker = sp.GetRequiredService<IOptions<WorkerOptions>>().Value;
            return new EngineBusyWindow(worker.Id, worker.GpuSlots, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<SkippedWork>();
        services.AddSingleton<IStoreProbe, TcpStoreProbe>();
        services.AddSingleton<StoreOutageGate>();
        services.AddHttpClient<ImageUploader>()
            // The default handlers log four lines per upload, each with the presigned address: a credential, and most
            // of a fast worker's CPU.
            .RemoveAllLoggers()
            .AddStandardResilienceHandler(resilience =>
            {
                // An object store that restarts costs time, not the image: keep trying for a while, backing off. The
                // delay is capped so an upload does not sleep through the store's return (a batch waiting here holds one
                // of the worker's batch slots); past its retries the image is handed back and the outage gate, which
                // probes the store every second, holds the engine back instead.
                resilience.Retry.MaxRetryAttempts = 8;
                resilience.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(250);
                resilience.Retry.MaxDelay = TimeSpan.FromSeconds(2);
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(2);
            });
        services.AddHostedService<HeartbeatService>();
        services.AddSingleton<RenderEndpoints>();
        services.AddSingleton<ConsumptionControl>();
        services.AddHostedService<ModelWatcher>();
        services.AddSingleton<WorkerReadiness>();
        services.AddHealthChecks().AddCheck<ModelsLoadedHealthCheck>(ModelsLoadedHealthCheck.Name, tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// The worker's HTTP endpoint on <see cref="WorkerOptions.MetricsPort"/> (<c>/metrics</c>, <c>/alive</c>,
    /// <c>/health</c>): the worker process only (the embedded mode shares the coordinator's), so not part of
    /// <see cref="AddWorkerServices"/>. Register it before the model preloader, so probes answer while models load.
    /// </summary>
    public static IServiceCollection AddWorkerHttpEndpoint(this IServiceCollection services)
    {
        services.AddHostedService<WorkerHttpEndpoint>();
        return services;
    }
}

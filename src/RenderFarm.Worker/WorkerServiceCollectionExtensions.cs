using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;
using RenderFarm.Infrastructure.Imaging;
using RenderFarm.Worker.Control;
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
        services.AddHostedService<RenderLoop>();
        services.AddSingleton<RenderStatistics>();
        services.AddSingleton<CancelledJobs>();
        services.AddSingleton<StoreOutageGate>();
        services.AddHttpClient<ImageUploader>()
            // The default handlers log four lines per upload, each with the presigned address: a credential, and most
            // of a fast worker's CPU.
            .RemoveAllLoggers()
            .AddStandardResilienceHandler(resilience =>
            {
                // An object store that restarts costs time, not the image: keep trying for a while, backing off.
                resilience.Retry.MaxRetryAttempts = 8;
                resilience.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(250);
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(2);
            });
        services.AddHostedService<HeartbeatService>();
        services.AddSingleton<RenderEndpoints>();
        services.AddSingleton<ConsumptionControl>();
        services.AddHostedService<ModelWatcher>();
        return services;
    }

    /// <summary>
    /// The worker's Prometheus endpoint on <see cref="WorkerOptions.MetricsPort"/>: the worker process only (the
    /// embedded mode shares the coordinator's), so not part of <see cref="AddWorkerServices"/>.
    /// </summary>
    public static IServiceCollection AddWorkerMetricsEndpoint(this IServiceCollection services, IConfiguration configuration)
    {
        var port = configuration.GetValue($"{WorkerOptions.SectionName}:{nameof(WorkerOptions.MetricsPort)}", new WorkerOptions().MetricsPort);
        if (port > 0)
        {
            services.AddMetricServer(options => options.Port = (ushort)port);
        }

        return services;
    }
}

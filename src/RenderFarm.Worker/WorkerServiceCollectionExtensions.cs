using RenderFarm.Infrastructure;
using RenderFarm.Infrastructure.Imaging;
using RenderFarm.Worker.Heartbeats;
using RenderFarm.Worker.Rendering;

namespace RenderFarm.Worker;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>Everything a worker needs but its engine and the bus, so the embedded mode can host it beside the coordinator.</summary>
    public static IServiceCollection AddWorkerServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkerOptions>()
            .BindConfiguration(WorkerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddRenderFarmInfrastructure(configuration);
        services.AddRenderFarmImageEncoding();

        services.AddSingleton<GpuSlots>();
        services.AddSingleton<RenderStatistics>();
        services.AddScoped<ImageRecorder>();
        services.AddHostedService<HeartbeatService>();
        return services;
    }
}

using Microsoft.AspNetCore.DataProtection;
using RenderFarm.Coordinator.Audit;
using RenderFarm.Coordinator.Auth;
using RenderFarm.Coordinator.Deadlines;
using RenderFarm.Coordinator.Dispatch;
using RenderFarm.Coordinator.Events;
using RenderFarm.Coordinator.Farm;
using RenderFarm.Coordinator.Images;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Models;
using RenderFarm.Coordinator.Quotas;
using RenderFarm.Coordinator.Schedulers;
using RenderFarm.Coordinator.Schedules;
using RenderFarm.Coordinator.Studios;
using RenderFarm.Coordinator.Usage;
using RenderFarm.Coordinator.Webhooks;
using RenderFarm.Coordinator.Workers;
using RenderFarm.Core.Dispatch;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Models;
using RenderFarm.Infrastructure;
using RenderFarm.Infrastructure.Persistence;
using RenderFarm.Infrastructure.Telemetry;

namespace RenderFarm.Coordinator;

public static class CoordinatorServiceCollectionExtensions
{
    /// <summary>Everything the coordinator does except HTTP and the bus, so the embedded mode can host it too.</summary>
    public static IServiceCollection AddCoordinatorServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ModelCatalogOptions>()
            .BindConfiguration(ModelCatalogOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<JobLimitsOptions>()
            .BindConfiguration(JobLimitsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<DispatchOptions>()
            .BindConfiguration(DispatchOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<SynchronousJobsOptions>()
            .BindConfiguration(SynchronousJobsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddRenderFarmInfrastructure(configuration);

        // Registered first: hosted services start in order, and everything after needs the schema.
        services.AddHostedService<DatabaseInitializer>();

        // Replicas share the keys that protect session cookies, image links and webhook secrets through the database.
        services.AddDataProtection().SetApplicationName("RenderFarm").PersistKeysToDbContext<RenderFarmDbContext>();
        services.AddWebhooks();
        services.AddHttpContextAccessor();
        services.AddScoped<AuditTrail>();
        services.AddScoped<ApiKeyStore>();
        services.AddScoped<StudioService>();
        services.AddOptions<QuotaOptions>()
            .BindConfiguration(QuotaOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddScoped<QuotaGate>();
        services.AddScoped<JobService>();
        services.AddScoped<ScheduleHistory>();
        services.AddOptions<UsageOptions>()
            .BindConfiguration(UsageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddScoped<UsageQueries>();
        services.AddScoped<JobControl>();
        services.AddScoped<JobQueries>();
        services.AddScoped<JobFinalizer>();
        services.AddScoped<RenderResultRecorder>();
        services.AddScoped<JobArchiveWriter>();
        services.AddScoped<SynchronousJobRunner>();
        services.AddSingleton<ImageLinks>();
        services.AddScoped<ImageQueries>();
        services.AddScoped<ThumbnailService>();
        services.AddScoped<FarmQueries>();
        services.AddSingleton<ImageEventBroadcaster>();
        services.AddSingleton(sp => new JobStepProgress(TimeProvider.System));
        services.AddSingleton<ReplicaIdentity>();
        services.AddScoped<WorkerRegistry>();
        services.AddSingleton<HeartbeatReception>();
        services.AddScoped<ModelCatalogService>();
        services.AddScoped<ImageDispatcher>();
        services.AddSingleton<DispatchSignal>();
        services.AddSingleton<StudioShareLedger>();
        services.AddSingleton<ThroughputReading>();
        services.AddSingleton<AtRiskAnnouncements>();
        services.AddScoped<FinishEstimates>();
        services.AddHostedService<DispatchLoop>();
        services.AddHostedService<FarmCountReader>();
        services.AddRenderFarmScheduling();
        return services;
    }
}

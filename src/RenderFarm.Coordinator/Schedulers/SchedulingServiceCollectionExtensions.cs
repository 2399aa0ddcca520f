using Microsoft.Extensions.Options;
using Quartz;
using RenderFarm.Coordinator.Schedules;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Schedulers;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Quartz for schedules and housekeeping. On PostgreSQL: a persistent, clustered AdoJobStore (schema from our
    /// migrations), so replicas share triggers and each firing runs on exactly one of them. On SQLite (embedded mode):
    /// the in-memory store, refilled from the schedules table at start.
    /// </summary>
    public static IServiceCollection AddRenderFarmScheduling(this IServiceCollection services)
    {
        services.AddOptions<SchedulingOptions>()
            .BindConfiguration(SchedulingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddQuartz(quartz => quartz.SchedulerName = SchedulerKeys.SchedulerName);
        QuartzLogging.Install(services);

        // Configured from the bound options rather than at registration, so every configuration source
        // (including ones a host adds after calling this) decides the store.
        services.AddOptions<QuartzOptions>().Configure<IOptions<DatabaseOptions>, IOptions<SchedulingOptions>>((quartz, database, scheduling) =>
        {
            var settings = scheduling.Value;
            var builder = SchedulerBuilder.Create(
                settings.InstanceId ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}",
                SchedulerKeys.SchedulerName);
            builder.WithMisfireThreshold(settings.MisfireThreshold);
            if (database.Value.Provider == DatabaseProvider.Postgres)
            {
                builder.UsePersistentStore(store =>
                {
                    // Job data as strings only: no type names in the database, and our small serializer suffices.
                    store.UseProperties = true;
                    store.UsePostgres(database.Value.ConnectionString);
                    store.UseClustering(cluster => cluster.CheckinInterval = settings.ClusterCheckinInterval);
                    store.UseSerializer<StringMapSerializer>();
                });
            }
            else
            {
                builder.UseInMemoryStore();
            }

            foreach (var key in builder.Properties.AllKeys)
            {
                quartz[key!] = builder.Properties[key];
            }
        });

        services.AddScoped<ScheduleService>();
        services.AddScoped<ScheduleFiring>();
        services.AddHostedService<SchedulerHost>();
        return services;
    }
}

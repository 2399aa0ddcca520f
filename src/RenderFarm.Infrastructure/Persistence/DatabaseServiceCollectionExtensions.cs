using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderFarm.Core.Studios;

namespace RenderFarm.Infrastructure.Persistence;

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>Idempotent: the embedded mode hosts coordinator and worker, and both ask for the database.</summary>
    public static IServiceCollection AddRenderFarmDatabase(this IServiceCollection services)
    {
        if (services.Any(s => s.ServiceType == typeof(RenderFarmDbContext)))
        {
            return services;
        }

        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddDbContext<RenderFarmDbContext>((provider, db) =>
        {
            var options = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            switch (options.Provider)
            {
                case DatabaseProvider.Postgres:
                    db.UseNpgsql(options.ConnectionString);
                    break;
                case DatabaseProvider.Sqlite:
                    db.UseSqlite(options.ConnectionString).AddInterceptors(new SqliteConnectionSettings());
                    break;
                default:
                    throw new InvalidOperationException($"Unknown Database:Provider '{options.Provider}'.");
            }

            // Every SQL command logged at Information cost a farm ~13 % of its throughput; Debug shows them when wanted.
            db.ConfigureWarnings(w => w.Log((RelationalEventId.CommandExecuted, LogLevel.Debug)));
        });

        // One per request or job scope; see StudioScope (restricted per caller by the coordinator's HTTP pipeline).
        services.AddScoped<StudioScope>();
        services.AddHealthChecks().AddDbContextCheck<RenderFarmDbContext>("database", tags: ["ready"]);
        return services;
    }
}

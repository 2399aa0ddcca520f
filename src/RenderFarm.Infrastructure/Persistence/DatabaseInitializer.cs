using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RenderFarm.Infrastructure.Persistence;

/// <summary>Brings the schema up to date before the host serves anything.</summary>
public sealed class DatabaseInitializer(IServiceProvider services, IOptions<DatabaseOptions> options, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.ShouldMigrateOnStartup)
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RenderFarmDbContext>();
        if (db.Database.IsNpgsql())
        {
            // The single-process opt-in; EF takes a database lock while migrating, so replicas that opted in together
            // still apply each migration once.
            await db.Database.MigrateAsync(cancellationToken);
        }
        else
        {
            // The embedded SQLite database is local and disposable; migrations are written for PostgreSQL.
            await db.Database.EnsureCreatedAsync(cancellationToken);
        }

        logger.LogInformation("Database schema is ready ({Provider})", options.Value.Provider);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Auth;

/// <summary>Stores <see cref="AuthOptions.BootstrapAdminKey"/> as the first admin key of a farm that has no key yet.</summary>
public sealed class ApiKeyBootstrapper(IServiceProvider services, IOptions<AuthOptions> options, ILogger<ApiKeyBootstrapper> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.BootstrapAdminKey is not { } key)
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RenderFarmDbContext>();

        // Only into an empty table: once keys exist the configured key is history, and a revoked one stays revoked.
        // Replicas starting together may both get here; the key's unique hash lets one of them win.
        if (await db.ApiKeys.AnyAsync(cancellationToken))
        {
            return;
        }

        try
        {
            var (row, _) = await scope.ServiceProvider.GetRequiredService<ApiKeyStore>().BootstrapAdminAsync(options.Value.BootstrapStudio, key, "configuration", cancellationToken);
            logger.LogInformation("Bootstrap admin key {KeyPrefix} stored for studio {Studio}", row.Prefix, options.Value.BootstrapStudio);
        }
        catch (DbUpdateException) when (!cancellationToken.IsCancellationRequested)
        {
            // Another replica stored the same key first (unique hash); anything else fails the start.
            if (!await AnotherReplicaStoredItAsync(services, cancellationToken))
            {
                throw;
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<bool> AnotherReplicaStoredItAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RenderFarmDbContext>().ApiKeys.AnyAsync(cancellationToken);
    }
}

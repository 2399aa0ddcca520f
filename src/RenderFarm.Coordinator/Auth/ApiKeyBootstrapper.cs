using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderFarm.Core.Studios;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Auth;

/// <summary>Stores <see cref="AuthOptions.BootstrapAdminKey"/> as the first admin key of a farm that has no key yet.</summary>
public sealed class ApiKeyBootstrapper(IServiceProvider services, IOptions<AuthOptions> options, TimeProvider clock, ILogger<ApiKeyBootstrapper> logger) : IHostedService
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

        var now = clock.GetUtcNow();
        var studio = await db.Studios.SingleOrDefaultAsync(s => s.Name == options.Value.BootstrapStudio, cancellationToken);
        if (studio is null)
        {
            studio = new Studio { Id = Guid.CreateVersion7(now), Name = options.Value.BootstrapStudio, CreatedAt = now };
            db.Studios.Add(studio);
        }

        var row = new ApiKey
        {
            Id = Guid.CreateVersion7(now),
            StudioId = studio.Id,
            Role = StudioRole.Admin,
            Name = "bootstrap",
            Prefix = ApiKeyFormat.VisiblePrefix(key),
            Hash = ApiKeyFormat.Hash(key),
            CreatedAt = now,
        };
        db.ApiKeys.Add(row);
        db.AuditLog.Add(new AuditEntry { At = now, StudioId = studio.Id, KeyId = row.Id, Actor = "configuration", Action = "key.bootstrapped", Target = row.Prefix });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Bootstrap admin key {KeyPrefix} stored for studio {Studio}", row.Prefix, studio.Name);
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

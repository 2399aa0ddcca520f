using Microsoft.EntityFrameworkCore;
using RenderFarm.Core.Studios;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Auth;

/// <summary>Creates, finds and revokes keys. Only hashes are stored; the plain key leaves this class once, at creation.</summary>
public sealed class ApiKeyStore(RenderFarmDbContext db, TimeProvider clock)
{
    // A key used all day writes its last-used time once a minute, not once a request.
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>The key's row when the key exists, is not revoked and has not expired; null otherwise.</summary>
    public async Task<ApiKey?> FindUsableAsync(string key, CancellationToken cancellationToken)
    {
        if (!ApiKeyFormat.LooksLikeKey(key))
        {
            return null;
        }

        var hash = ApiKeyFormat.Hash(key);
        return await UsableAsync(await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Hash == hash, cancellationToken), cancellationToken);
    }

    /// <summary>For a session cookie, which names its key: a revoked key ends its sessions too.</summary>
    public async Task<ApiKey?> FindUsableAsync(Guid keyId, CancellationToken cancellationToken) =>
        await UsableAsync(await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == keyId, cancellationToken), cancellationToken);

    public async Task<(ApiKey Row, string Key)> CreateAsync(Guid studioId, StudioRole role, string name, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var key = ApiKeyFormat.Generate();
        var row = Add(key, studioId, role, name, expiresAt);
        await db.SaveChangesAsync(cancellationToken);
        return (row, key);
    }

    /// <summary>
    /// Stores an admin key of the studio named <paramref name="studioName"/> (created when missing) with its audit entry,
    /// in one save: the farm's first key, from configuration or the CLI, or a lost admin key's replacement.
    /// </summary>
    /// <param name="key">The key to store (a configured one); null generates one.</param>
    /// <param name="actor">Who bootstrapped it, for the audit log (<c>configuration</c>, <c>cli</c>).</param>
    public async Task<(ApiKey Row, string Key)> BootstrapAdminAsync(string studioName, string? key, string actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var studio = await db.Studios.SingleOrDefaultAsync(s => s.Name == studioName, cancellationToken);
        if (studio is null)
        {
            studio = new Studio { Id = Guid.CreateVersion7(now), Name = studioName, CreatedAt = now };
            db.Studios.Add(studio);
        }

        key ??= ApiKeyFormat.Generate();
        var row = Add(key, studio.Id, StudioRole.Admin, $"bootstrap ({actor})", null);
        db.AuditLog.Add(new AuditEntry { At = now, StudioId = studio.Id, KeyId = row.Id, Actor = actor, Action = "key.bootstrapped", Target = row.Prefix });
        await db.SaveChangesAsync(cancellationToken);
        return (row, key);
    }

    private ApiKey Add(string key, Guid studioId, StudioRole role, string name, DateTimeOffset? expiresAt)
    {
        var now = clock.GetUtcNow();
        var row = new ApiKey
        {
            Id = Guid.CreateVersion7(now),
            StudioId = studioId,
            Role = role,
            Name = name,
            Prefix = ApiKeyFormat.VisiblePrefix(key),
            Hash = ApiKeyFormat.Hash(key),
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        db.ApiKeys.Add(row);
        return row;
    }

    /// <param name="studioId">Only this studio's keys; null for every studio's.</param>
    public Task<List<ApiKey>> ListAsync(Guid? studioId, CancellationToken cancellationToken) =>
        db.ApiKeys.AsNoTracking()
            .Where(k => studioId == null || k.StudioId == studioId)
            .OrderBy(k => k.StudioId).ThenBy(k => k.CreatedAt)
            .ToListAsync(cancellationToken);

    public Task<ApiKey?> FindAsync(Guid keyId, CancellationToken cancellationToken) =>
        db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == keyId, cancellationToken);

    /// <summary>Revokes the key (idempotent: a revoked key keeps its first revocation time).</summary>
    public async Task RevokeAsync(Guid keyId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await db.ApiKeys.Where(k => k.Id == keyId && k.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), cancellationToken);
    }

    private async Task<ApiKey?> UsableAsync(ApiKey? key, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (key is null || !key.IsUsableAt(now))
        {
            return null;
        }

        if (key.LastUsedAt is null || key.LastUsedAt < now - LastUsedResolution)
        {
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }

        return key;
    }
}

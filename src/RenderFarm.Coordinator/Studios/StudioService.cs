using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RenderFarm.Coordinator.Audit;
using RenderFarm.Coordinator.Auth;
using RenderFarm.Core.Studios;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Studios;

/// <summary>
/// Studios, their keys and their audit log, as a caller may see and change them: admins everything, managers their
/// own studio (keys up to manager), everyone else only their own studio's name. Anything out of reach is "not found".
/// </summary>
public sealed partial class StudioService(RenderFarmDbContext db, ApiKeyStore keys, AuditTrail audit, TimeProvider clock)
{
    private const int MaxShare = 1000;

    public async Task<IReadOnlyList<StudioView>> ListAsync(FarmCaller caller, CancellationToken cancellationToken) =>
        (await db.Studios.AsNoTracking().Where(s => caller.IsAdmin || s.Id == caller.StudioId).OrderBy(s => s.Name).ToListAsync(cancellationToken))
            .Select(ToView).ToList();

    public async Task<string?> NameAsync(Guid studioId, CancellationToken cancellationToken) =>
        await db.Studios.AsNoTracking().Where(s => s.Id == studioId).Select(s => s.Name).SingleOrDefaultAsync(cancellationToken);

    public async Task<(StudioView? Studio, Dictionary<string, string[]> Errors)> CreateAsync(StudioRequest request, CancellationToken cancellationToken)
    {
        var errors = Validate(request, requireName: true);
        if (errors.Count == 0 && await db.Studios.AnyAsync(s => s.Name == request.Name, cancellationToken))
        {
            errors["name"] = [$"A studio named '{request.Name}' already exists."];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var studio = new Studio { Id = Guid.CreateVersion7(), Name = request.Name!, CreatedAt = clock.GetUtcNow() };
        Apply(studio, request);
        db.Studios.Add(studio);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync("studio.created", studio.Name, studio.Id, Describe(studio), cancellationToken);
        return (ToView(studio), errors);
    }

    /// <summary>Sets a studio's share and quotas (admins). Found false when there is no such studio.</summary>
    public async Task<(bool Found, StudioView? Studio, Dictionary<string, string[]> Errors)> UpdateAsync(Guid id, StudioRequest request, CancellationToken cancellationToken)
    {
        var studio = await db.Studios.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        var errors = Validate(request, requireName: false);
        if (request.Name is not null && studio is not null && request.Name != studio.Name)
        {
            errors["name"] = ["A studio's name cannot change (tokens and scripts name it)."];
        }

        if (studio is null || errors.Count > 0)
        {
            return (studio is not null, null, errors);
        }

        Apply(studio, request);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync("studio.quotas_changed", studio.Name, studio.Id, Describe(studio), cancellationToken);
        return (true, ToView(studio), errors);
    }

    public async Task<IReadOnlyList<ApiKeyView>> ListKeysAsync(FarmCaller caller, Guid? studioId, CancellationToken cancellationToken) =>
        (await keys.ListAsync(caller.IsAdmin ? studioId : caller.StudioId, cancellationToken)).Select(ToView).ToList();

    public async Task<(ApiKeyCreated? Created, Dictionary<string, string[]> Errors)> CreateKeyAsync(FarmCaller caller, ApiKeyRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var studioId = request.StudioId ?? caller.StudioId;
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 128 || request.Name.Any(char.IsControl))
        {
            errors["name"] = ["Name the key's holder: 1 to 128 characters, no control characters."];
        }

        if (!Enum.TryParse<StudioRole>(request.Role, ignoreCase: true, out var role) || !Enum.IsDefined(role) || int.TryParse(request.Role, out _))
        {
            errors["role"] = ["Role must be one of: viewer, artist, manager, admin."];
        }
        else if (role > caller.Role || (role == StudioRole.Admin && !caller.IsAdmin))
        {
            errors["role"] = [$"A {caller.Role.ToString().ToLowerInvariant()} cannot create {role.ToString().ToLowerInvariant()} keys."];
        }

        if (!caller.MayManage(studioId) || !await db.Studios.AnyAsync(s => s.Id == studioId, cancellationToken))
        {
            errors["studioId"] = [$"There is no studio {studioId:D} you manage."];
        }

        if (request.ExpiresAt is { } expires && expires <= clock.GetUtcNow())
        {
            errors["expiresAt"] = ["The expiry must be in the future."];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var (row, key) = await keys.CreateAsync(studioId, role, request.Name!.Trim(), request.ExpiresAt, cancellationToken);
        await audit.RecordAsync("key.created", row.Prefix, studioId, $"{row.Role.ToString().ToLowerInvariant()} key '{row.Name}'", cancellationToken);
        return (new ApiKeyCreated(ToView(row), key), errors);
    }

    /// <returns>The revoked key; null when there is no such key the caller manages.</returns>
    public async Task<ApiKeyView?> RevokeKeyAsync(FarmCaller caller, Guid keyId, CancellationToken cancellationToken)
    {
        if (await keys.FindAsync(keyId, cancellationToken) is not { } key || !caller.MayManage(key.StudioId))
        {
            return null;
        }

        await keys.RevokeAsync(keyId, cancellationToken);
        await audit.RecordAsync("key.revoked", key.Prefix, key.StudioId, $"{key.Role.ToString().ToLowerInvariant()} key '{key.Name}'", cancellationToken);
        return ToView((await keys.FindAsync(keyId, cancellationToken))!);
    }

    public async Task<IReadOnlyList<AuditEntryView>> ListAuditAsync(FarmCaller caller, Guid? studioId, int limit, CancellationToken cancellationToken)
    {
        var entries = db.AuditLog.AsNoTracking();
        var studio = caller.IsAdmin ? studioId : caller.StudioId;
        if (studio is not null)
        {
            entries = entries.Where(e => e.StudioId == studio);
        }

        return await entries.OrderByDescending(e => e.Id).Take(limit)
            .Select(e => new AuditEntryView(e.Id, e.At, e.StudioId, e.Actor, e.Action, e.Target, e.Detail))
            .ToListAsync(cancellationToken);
    }

    private static Dictionary<string, string[]> Validate(StudioRequest request, bool requireName)
    {
        var errors = new Dictionary<string, string[]>();
        if ((requireName || request.Name is not null) && (request.Name is null || !NamePattern().IsMatch(request.Name)))
        {
            errors["name"] = [StudioNames.Rule];
        }

        if (request.Share is < 1 or > MaxShare)
        {
            errors["share"] = [$"Share must be between 1 and {MaxShare}."];
        }

        foreach (var (field, value) in new (string, long?)[]
                 {
                     ("maxImagesPerJob", request.MaxImagesPerJob), ("maxQueuedImages", request.MaxQueuedImages),
                     ("maxImagesPerDay", request.MaxImagesPerDay), ("maxGpuSecondsPerMonth", request.MaxGpuSecondsPerMonth),
                 })
        {
            if (value < 0)
            {
                errors[field] = ["A quota cannot be negative (leave it out to take the farm's default)."];
            }
        }

        return errors;
    }

    private static void Apply(Studio studio, StudioRequest request)
    {
        studio.Share = request.Share ?? studio.Share;
        studio.MaxImagesPerJob = request.MaxImagesPerJob;
        studio.MaxQueuedImages = request.MaxQueuedImages;
        studio.MaxImagesPerDay = request.MaxImagesPerDay;
        studio.MaxGpuSecondsPerMonth = request.MaxGpuSecondsPerMonth;
    }

    private static string Describe(Studio s) =>
        $"share {s.Share}; per job {s.MaxImagesPerJob?.ToString() ?? "default"}, queued {s.MaxQueuedImages?.ToString() ?? "default"}, " +
        $"per day {s.MaxImagesPerDay?.ToString() ?? "default"}, GPU-s per month {s.MaxGpuSecondsPerMonth?.ToString() ?? "default"}";

    private static StudioView ToView(Studio s) =>
        new(s.Id, s.Name, s.Share, s.MaxImagesPerJob, s.MaxQueuedImages, s.MaxImagesPerDay, s.MaxGpuSecondsPerMonth, s.CreatedAt);

    private static ApiKeyView ToView(ApiKey k) =>
        new(k.Id, k.StudioId, k.Name, k.Role.ToString().ToLowerInvariant(), k.Prefix, k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.LastUsedAt);

    [GeneratedRegex(StudioNames.Pattern)]
    private static partial Regex NamePattern();
}

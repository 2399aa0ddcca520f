using RenderFarm.Coordinator.Auth;
using RenderFarm.Core.Studios;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Audit;

/// <summary>Writes who did what to the audit log; the actor is the current request's caller (by key prefix), or "system".</summary>
public sealed class AuditTrail(RenderFarmDbContext db, IHttpContextAccessor http, TimeProvider clock)
{
    /// <param name="studioId">The studio it concerns; the caller's own when null.</param>
    public async Task RecordAsync(string action, string target, Guid? studioId, string? detail, CancellationToken cancellationToken)
    {
        var caller = http.HttpContext is { } context ? FarmCaller.From(context.User) : null;
        db.AuditLog.Add(new AuditEntry
        {
            At = clock.GetUtcNow(),
            StudioId = studioId ?? caller?.StudioId,
            KeyId = caller?.KeyId,
            Actor = caller?.Actor ?? "system",
            Action = action,
            Target = target,
            Detail = detail is { Length: > 2000 } ? detail[..2000] : detail,
        });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}

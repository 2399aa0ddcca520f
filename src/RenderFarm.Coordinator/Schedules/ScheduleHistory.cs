using Microsoft.EntityFrameworkCore;
using RenderFarm.Core.Jobs;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Schedules;

/// <summary>A schedule's firings, newest first: the jobs it submitted and the firings that were rejected (over quota, template no longer valid), with why.</summary>
public sealed class ScheduleHistory(RenderFarmDbContext db)
{
    /// <summary>The audit action of a rejected firing; its target is the schedule, its detail the time and the reason.</summary>
    public const string RejectedFiring = "schedule.firing_rejected";

    /// <returns>Null when there is no such schedule (for this caller).</returns>
    public async Task<IReadOnlyList<ScheduleFiringView>?> ListAsync(Guid scheduleId, int limit, CancellationToken cancellationToken)
    {
        if (!await db.Schedules.AnyAsync(s => s.Id == scheduleId, cancellationToken))
        {
            return null;
        }

        var jobs = await db.Jobs.AsNoTracking()
            .Where(j => j.ScheduleId == scheduleId)
            .OrderByDescending(j => j.ScheduledFor)
            .Take(limit)
            .Select(j => new ScheduleFiringView(j.ScheduledFor!.Value, j.CreatedAt, j.Id, j.Status.ToWire(), j.ImageCount, null))
            .ToListAsync(cancellationToken);
        var target = scheduleId.ToString("D");
        var rejected = await db.AuditLog.AsNoTracking()
            .Where(e => e.Action == RejectedFiring && e.Target == target)
            .OrderByDescending(e => e.Id)
            .Take(limit)
            .Select(e => new ScheduleFiringView(e.At, e.At, null, "rejected", 0, e.Detail))
            .ToListAsync(cancellationToken);
        return jobs.Concat(rejected).OrderByDescending(f => f.At).Take(limit).ToList();
    }
}

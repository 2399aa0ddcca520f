using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Dispatch;
using RenderFarm.Core.Workers;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Workers;

/// <summary>Keeps the last heartbeat of every worker and answers which are live.</summary>
public sealed class WorkerRegistry(RenderFarmDbContext db, DispatchSignal dispatch, IOptions<DispatchOptions> options, TimeProvider clock)
{
    public async Task RecordAsync(WorkerHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        var worker = await db.Workers.FindAsync([heartbeat.WorkerId], cancellationToken);

        // A worker's first heartbeat (or first since it expired), or the first with its engine's pace, raises what the
        // dispatcher may queue for it: the next round should not wait for a result or the poll (a fresh worker's first
        // job trickled meanwhile).
        var moreRoom = worker is null
            || worker.LastSeen < clock.GetUtcNow() - options.Value.WorkerExpiry
            || (worker.EngineMillisecondsPerImage is null && heartbeat.EngineMillisecondsPerImage is not null);
        if (worker is null)
        {
            worker = new WorkerRecord { Id = heartbeat.WorkerId };
            db.Workers.Add(worker);
        }
        else if (worker.LastSeen > heartbeat.SentAt)
        {
            return; // an older heartbeat overtaken by a newer one
        }

        worker.Host = heartbeat.Host;
        worker.Device = heartbeat.Device;
        worker.Models = [.. heartbeat.Models];
        worker.Catalog = [.. heartbeat.Catalog];
        worker.Labels = [.. heartbeat.Labels];
        worker.DeviceClass = heartbeat.DeviceClass;
        worker.DeviceMemoryBytes = heartbeat.DeviceMemoryBytes;
        worker.BatchSize = heartbeat.BatchSize;
        worker.ImagesRendered = heartbeat.ImagesRendered;
        worker.EngineMillisecondsPerImage = heartbeat.EngineMillisecondsPerImage;
        worker.EngineSlots = Math.Max(1, heartbeat.EngineSlots);
        worker.State = heartbeat.State is WorkerStates.Draining or WorkerStates.Quarantined ? heartbeat.State : WorkerStates.Active;
        worker.StateReason = worker.State == WorkerStates.Active ? null : heartbeat.StateReason is { Length: > 500 } reason ? reason[..500] : heartbeat.StateReason;
        worker.Holding = [.. heartbeat.Holding];
        worker.HoldingCapacity = heartbeat.HoldingCapacity;
        worker.HoldingReportedAt = heartbeat.SentAt;
        worker.StartedAt = heartbeat.StartedAt;
        worker.LastSeen = heartbeat.SentAt;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (db.Entry(worker).State == EntityState.Added)
        {
            // Two replicas recorded the first heartbeat of one worker at once; the next one updates it.
            return;
        }

        if (moreRoom)
        {
            dispatch.Notify();
        }
    }

    /// <summary>
    /// Records what an operator asked of a live worker before the worker's own heartbeat confirms it, so the dispatcher
    /// stops counting a drained worker at once. Null when no live worker has this id.
    /// </summary>
    public async Task<WorkerRecord?> SetStateAsync(string workerId, string state, string? reason, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - options.Value.WorkerExpiry;
        var worker = await db.Workers.SingleOrDefaultAsync(w => w.Id == workerId && w.LastSeen >= since, cancellationToken);
        if (worker is null)
        {
            return null;
        }

        worker.State = state;
        worker.StateReason = reason;

        // Heartbeats sent before the request (still on their way) count as overtaken, so they cannot undo it; the
        // worker's next ones, sent once it acted, say the same.
        worker.LastSeen = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return worker;
    }

    public Task<IReadOnlyList<WorkerRecord>> ListLiveAsync(CancellationToken cancellationToken) =>
        ListSinceAsync(clock.GetUtcNow() - options.Value.WorkerExpiry, cancellationToken);

    /// <summary>Workers heard from since <paramref name="since"/>, live or not (the catalog's grace period looks further back).</summary>
    public async Task<IReadOnlyList<WorkerRecord>> ListSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        return await db.Workers.AsNoTracking()
            .Where(w => w.LastSeen >= since)
            .OrderBy(w => w.Id)
            .ToListAsync(cancellationToken);
    }
}

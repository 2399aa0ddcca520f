using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Dispatch;
using RenderFarm.Core.Workers;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Workers;

/// <summary>Keeps the last heartbeat of every worker and answers which are live.</summary>
public sealed class WorkerRegistry(RenderFarmDbContext db, IOptions<DispatchOptions> options, TimeProvider clock)
{
    public async Task RecordAsync(WorkerHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        var worker = await db.Workers.FindAsync([heartbeat.WorkerId], cancellationToken);
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
        worker.StartedAt = heartbeat.StartedAt;
        worker.LastSeen = heartbeat.SentAt;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (db.Entry(worker).State == EntityState.Added)
        {
            // Two replicas recorded the first heartbeat of one worker at once; the next one updates it.
        }
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

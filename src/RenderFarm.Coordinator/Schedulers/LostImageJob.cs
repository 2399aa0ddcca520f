using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Dispatch;
using RenderFarm.Coordinator.Workers;
using RenderFarm.Core.Dispatch;
using RenderFarm.Core.Images;
using RenderFarm.Infrastructure.Messaging;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Schedulers;

/// <summary>
/// Reconciles the images the database has on the bus with what workers say they hold, every few seconds, so lost work
/// comes back in seconds rather than after <see cref="SchedulingOptions.DispatchTimeout"/>:
/// <list type="bullet">
/// <item>An image no live worker holds, whose message is not waiting on the broker either (<see cref="LostImages"/>),
/// goes back to pending without an attempt: the model never saw it.</item>
/// <item>The images a worker held when it went silent (killed, out of memory) are each charged an attempt — every
/// delivery counts, so an image that kills every worker taking it fails after <see cref="DispatchOptions.MaxAttempts"/>.
/// They stay dispatched, since the broker gives their messages to another worker; those that fail are broadcast as
/// <see cref="ImagesAbandoned"/>, so workers skip their messages still going round. Silence counts only while this
/// coordinator could hear heartbeats (<see cref="HeartbeatReception"/>): a broker outage silences every worker at
/// once, and charging their images would charge the model for the broker.</item>
/// </list>
/// </summary>
[DisallowConcurrentExecution]
public sealed class LostImageJob(
    RenderFarmDbContext db,
    DispatchSignal dispatch,
    HeartbeatReception reception,
    IPublishEndpoint bus,
    BrokerSends sends,
    IOptions<DispatchOptions> options,
    TimeProvider clock,
    ILogger<LostImageJob> logger) : IJob
{
    public async Task Execute(IJobExecutionContext context)
    {
        var cancellationToken = context.CancellationToken;
        var changed = await ChargeSilentWorkersAsync(cancellationToken) + await ReturnLostAsync(cancellationToken);
        if (changed > 0)
        {
            dispatch.Notify();
        }
    }

    private async Task<int> ReturnLostAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var settings = options.Value;
        var cutoff = now - settings.LostImageAfter;
        var live = await db.Workers.AsNoTracking().Where(w => w.LastSeen >= now - settings.WorkerExpiry).ToListAsync(cancellationToken);
        if (live.Count == 0)
        {
            return 0;
        }

        var candidates = await db.Images.IgnoreQueryFilters().AsNoTracking()
            .Where(i => i.Status == ImageStatus.Dispatched && i.DispatchedAt < cutoff)
            .Join(db.Jobs.IgnoreQueryFilters(), i => i.JobId, j => j.Id, (i, j) => new DispatchedImage(i.Id, j.Model, i.DispatchedAt!.Value))
            .ToListAsync(cancellationToken);
        var lost = LostImages.Find(candidates, live, now, settings.LostImageAfter);
        if (lost.Count == 0)
        {
            return 0;
        }

        // Conditional: a result recorded meanwhile wins, and a replica doing the same moves each image once.
        var moved = await db.Images.IgnoreQueryFilters()
            .Where(i => lost.Contains(i.Id) && i.Status == ImageStatus.Dispatched && i.DispatchedAt < cutoff)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImageStatus.Pending).SetProperty(i => i.DispatchedAt, (DateTimeOffset?)null), cancellationToken);
        logger.LogWarning("{Count} dispatched images are held by no live worker and wait on no queue: their messages were lost; back to pending, no attempt charged", moved);
        return moved;
    }

    private async Task<int> ChargeSilentWorkersAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var settings = options.Value;
        var silentSince = now - settings.WorkerExpiry;
        if (!reception.HeardThroughout(silentSince))
        {
            return 0;
        }

        var silent = (await db.Workers.AsNoTracking()
                .Where(w => w.LastSeen < silentSince && w.HoldingReportedAt != null)
                .Select(w => new { w.Id, w.Holding, w.HoldingReportedAt })
                .ToListAsync(cancellationToken))
            .Where(w => w.Holding.Count > 0)
            .ToList();
        var charged = 0;
        foreach (var worker in silent)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

            // Whoever empties the worker's holding charges it, so two replicas charge a lost worker once.
            var claimed = await db.Workers
                .Where(w => w.Id == worker.Id && w.HoldingReportedAt == worker.HoldingReportedAt)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.Holding, new List<Guid>()).SetProperty(w => w.HoldingReportedAt, (DateTimeOffset?)null), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }

            var ids = worker.Holding;
            var reportedAt = worker.HoldingReportedAt;

            // Only dispatches the worker can have held: an image sent again since (handed back, then re-dispatched) is another delivery.
            var (count, failing) = await LostDeliveries.ChargeAsync(
                db.Images.IgnoreQueryFilters().Where(i => ids.Contains(i.Id) && i.Status == ImageStatus.Dispatched && i.DispatchedAt <= reportedAt),
                $"Its worker {worker.Id} was lost while rendering it.",
                settings.MaxAttempts,
                redelivered: true,
                now,
                cancellationToken);
            charged += count;
            await transaction.CommitAsync(cancellationToken);
            if (failing.Count > 0)
            {
                await sends.WithinTimeoutAsync(ct => bus.Publish(new ImagesAbandoned { ImageIds = failing }, ct), cancellationToken);
            }
        }

        if (charged > 0)
        {
            logger.LogWarning("{Count} images were held by workers that went silent: one attempt charged each (failed after {MaxAttempts})", charged, settings.MaxAttempts);
        }

        return charged;
    }
}

using MassTransit;
using Microsoft.Extensions.Options;
using Quartz;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Dispatch;
using RenderFarm.Coordinator.Workers;
using RenderFarm.Core.Images;
using RenderFarm.Infrastructure.Messaging;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Schedulers;

/// <summary>
/// Sends images back to pending when they were dispatched longer than <see cref="SchedulingOptions.DispatchTimeout"/>
/// ago and never finished: their worker died mid-batch, and the message went with it. The dispatcher sends them again.
/// A lost delivery counts as an attempt, so an image that kills every worker taking it (a native crash, an
/// out-of-memory kill) fails after <see cref="DispatchOptions.MaxAttempts"/> instead of being sent forever; the failed
/// ones are broadcast as <see cref="ImagesAbandoned"/>, so workers skip any message of them still going round. The
/// timeout counts only while this coordinator is connected to the broker (<see cref="HeartbeatReception"/>): a broker
/// outage costs time, never an attempt.
/// </summary>
/// <remarks>
/// The update is conditional on the image still being dispatched and still old, so a result that lands meanwhile wins
/// and two replicas reaping at once change each row once. Should the old worker be merely slow, both may render the
/// image; workers write results conditionally and objects under the image's fixed key, so it is recorded once.
/// </remarks>
[DisallowConcurrentExecution]
public sealed class StuckImageReaperJob(
    RenderFarmDbContext db,
    DispatchSignal dispatch,
    HeartbeatReception reception,
    IPublishEndpoint bus,
    BrokerSends sends,
    IOptions<SchedulingOptions> options,
    IOptions<DispatchOptions> dispatchOptions,
    TimeProvider clock,
    ILogger<StuckImageReaperJob> logger) : IJob
{
    public async Task Execute(IJobExecutionContext context)
    {
        var now = clock.GetUtcNow();
        var cutoff = now - options.Value.DispatchTimeout;

        // Results come over the broker that heartbeats do: while it was out of reach, no result says nothing.
        if (!reception.HeardThroughout(cutoff))
        {
            return;
        }

        var maxAttempts = dispatchOptions.Value.MaxAttempts;
        var lost = $"No result within {options.Value.DispatchTimeout} of dispatch: its worker was lost.";
        var (reaped, failing) = await LostDeliveries.ChargeAsync(
            db.Images.Where(i => i.Status == ImageStatus.Dispatched && i.DispatchedAt < cutoff), lost, maxAttempts, redelivered: false, now, context.CancellationToken);
        if (reaped > 0)
        {
            logger.LogWarning("{Count} images were dispatched before {Cutoff:o} and never finished; back to pending for another worker, or failed after {MaxAttempts} attempts", reaped, cutoff, maxAttempts);
            dispatch.Notify();
        }

        if (failing.Count > 0)
        {
            await sends.WithinTimeoutAsync(ct => bus.Publish(new ImagesAbandoned { ImageIds = failing }, ct), context.CancellationToken);
        }
    }
}

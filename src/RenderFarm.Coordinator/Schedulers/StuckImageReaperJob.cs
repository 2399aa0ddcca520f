using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using RenderFarm.Coordinator.Dispatch;
using RenderFarm.Core.Images;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Schedulers;

/// <summary>
/// Sends images back to pending when they were dispatched longer than <see cref="SchedulingOptions.DispatchTimeout"/>
/// ago and never finished: their worker died mid-batch, and the message went with it. The dispatcher sends them again.
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
    IOptions<SchedulingOptions> options,
    TimeProvider clock,
    ILogger<StuckImageReaperJob> logger) : IJob
{
    public async Task Execute(IJobExecutionContext context)
    {
        var cutoff = clock.GetUtcNow() - options.Value.DispatchTimeout;
        var reaped = await db.Images
            .Where(i => i.Status == ImageStatus.Dispatched && i.DispatchedAt < cutoff)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImageStatus.Pending).SetProperty(i => i.DispatchedAt, (DateTimeOffset?)null), context.CancellationToken);
        if (reaped > 0)
        {
            logger.LogWarning("{Count} images were dispatched before {Cutoff:o} and never finished; back to pending for another worker", reaped, cutoff);
            dispatch.Notify();
        }
    }
}

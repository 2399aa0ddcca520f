using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Schedulers;

/// <summary>
/// Deletes the rows of workers whose heartbeat stopped longer than <see cref="SchedulingOptions.ExpireWorkersAfter"/> ago.
/// Dispatch already ignores workers silent for <c>Dispatch:WorkerExpiry</c>; this keeps the farm view and the table short.
/// A worker that comes back re-registers with its next heartbeat.
/// </summary>
[DisallowConcurrentExecution]
public sealed class WorkerExpiryJob(RenderFarmDbContext db, IOptions<SchedulingOptions> options, TimeProvider clock, ILogger<WorkerExpiryJob> logger) : IJob
{
    public async Task Execute(IJobExecutionContext context)
    {
        var cutoff = clock.GetUtcNow() - options.Value.ExpireWorkersAfter;
        var expired = await db.Workers.Where(w => w.LastSeen < cutoff).ExecuteDeleteAsync(context.CancellationToken);
        if (expired > 0)
        {
            logger.LogInformation("{Count} workers silent since before {Cutoff:o} expired", expired, cutoff);
        }
    }
}

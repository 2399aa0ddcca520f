using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Storage;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Schedulers;

/// <summary>
/// Deletes finished jobs older than <see cref="SchedulingOptions.RetainJobsFor"/> (off when null): stored objects
/// first, then the rows, so a crash in between leaves rows that the next round deletes again rather than orphaned objects.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(
    RenderFarmDbContext db,
    IImageStore store,
    IOptions<SchedulingOptions> options,
    TimeProvider clock,
    ILogger<RetentionJob> logger) : IJob
{
    public async Task Execute(IJobExecutionContext context)
    {
        if (options.Value.RetainJobsFor is not { } age)
        {
            return;
        }

        var cancellationToken = context.CancellationToken;
        var cutoff = clock.GetUtcNow() - age;
        while (!cancellationToken.IsCancellationRequested)
        {
            var jobs = await db.Jobs.AsNoTracking()
                .Where(j => j.FinishedAt < cutoff && j.Status != JobStatus.Queued && j.Status != JobStatus.Running)
                .OrderBy(j => j.FinishedAt)
                .Select(j => j.Id)
                .Take(options.Value.RetentionBatchSize)
                .ToListAsync(cancellationToken);
            if (jobs.Count == 0)
            {
                return;
            }

            // An object another job still points to (a reused image, or the original of one) stays.
            var keys = await db.Images.AsNoTracking()
                .Where(i => jobs.Contains(i.JobId) && i.ObjectKey != null)
                .Where(i => !db.Images.Any(other => other.ObjectKey == i.ObjectKey && !jobs.Contains(other.JobId)))
                .Select(i => i.ObjectKey!)
                .Distinct()
                .ToListAsync(cancellationToken);
            if (keys.Count > 0)
            {
                await store.DeleteAsync(keys, cancellationToken);
            }

            await db.Images.Where(i => jobs.Contains(i.JobId)).ExecuteDeleteAsync(cancellationToken);
            await db.Jobs.Where(j => jobs.Contains(j.Id)).ExecuteDeleteAsync(cancellationToken);
            logger.LogInformation("Retention: deleted {Jobs} jobs finished before {Cutoff:o} and {Objects} stored images", jobs.Count, cutoff, keys.Count);
        }
    }
}

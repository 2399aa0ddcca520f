using Microsoft.EntityFrameworkCore;
using RenderFarm.Coordinator.Webhooks;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Jobs;

/// <summary>Marks a job finished once none of its images is pending or in flight. Safe to call any number of times.</summary>
public sealed class JobFinalizer(RenderFarmDbContext db, WebhookOutbox webhooks, TimeProvider clock, ILogger<JobFinalizer> logger)
{
    public async Task<bool> TryFinishAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var counts = await db.Images.Where(i => i.JobId == jobId)
            .GroupBy(i => i.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        int Count(ImageStatus status) => counts.GetValueOrDefault(status);

        if (Count(ImageStatus.Pending) + Count(ImageStatus.Dispatched) > 0)
        {
            return false;
        }

        var rendered = Count(ImageStatus.Rendered);
        var failed = Count(ImageStatus.Failed);
        var status = failed == 0 ? JobStatus.Completed
            : rendered == 0 ? JobStatus.Failed
            : JobStatus.CompletedWithErrors;
        var now = clock.GetUtcNow();

        // The job's webhook delivery commits with its finish, or neither does.
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var updated = await db.Jobs
            .Where(j => j.Id == jobId && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, status).SetProperty(j => j.FinishedAt, now), cancellationToken);
        if (updated > 0)
        {
            await webhooks.EnqueueJobFinishedAsync(jobId, cancellationToken);
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        if (updated > 0)
        {
            logger.LogInformation("Job {JobId} finished {Status}: {Rendered} rendered, {Failed} failed", jobId, status.ToWire(), rendered, failed);
        }

        return updated > 0;
    }
}

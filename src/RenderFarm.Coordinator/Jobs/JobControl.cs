using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using RenderFarm.Coordinator.Dispatch;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Jobs;

/// <summary>
/// Changes a job while the farm works on it: pause and resume, priority, and retrying a finished job's failed images.
/// Each change is one conditional statement, so it never races the dispatcher or the recording of results.
/// </summary>
/// <remarks>Every method answers <c>Found</c> false for an unknown job, and <c>Refused</c> with the job's status when that status does not allow the change.</remarks>
public sealed class JobControl(RenderFarmDbContext db, DispatchSignal dispatch, ILogger<JobControl> logger)
{
    /// <summary>Nothing more of the job is dispatched; images already on workers finish and are recorded. Pausing a paused job changes nothing.</summary>
    public Task<(bool Found, JobStatus? Refused)> PauseAsync(Guid jobId, CancellationToken cancellationToken) =>
        ChangeAsync(
            jobId,
            j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running || j.Status == JobStatus.Paused,
            s => s.SetProperty(j => j.Status, JobStatus.Paused),
            "paused",
            cancellationToken);

    /// <summary>A paused job goes back to the queue (running again if it had started); resuming an active job changes nothing.</summary>
    public Task<(bool Found, JobStatus? Refused)> ResumeAsync(Guid jobId, CancellationToken cancellationToken) =>
        ChangeAsync(
            jobId,
            j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running || j.Status == JobStatus.Paused,
            s => s.SetProperty(j => j.Status, j => j.Status != JobStatus.Paused ? j.Status : j.StartedAt == null ? JobStatus.Queued : JobStatus.Running),
            "resumed",
            cancellationToken);

    /// <summary>Takes effect from the next dispatch round; images already on the bus keep their place.</summary>
    public Task<(bool Found, JobStatus? Refused)> SetPriorityAsync(Guid jobId, JobPriority priority, CancellationToken cancellationToken) =>
        ChangeAsync(
            jobId,
            j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running || j.Status == JobStatus.Paused,
            s => s.SetProperty(j => j.Priority, priority),
            $"now has priority {priority.ToWire()}",
            cancellationToken);

    /// <summary>
    /// A job that finished with failed images runs again for those images only, each with its attempts reset; its
    /// rendered images stay as they are.
    /// </summary>
    public async Task<(bool Found, JobStatus? Refused)> RetryFailedAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var reopened = await db.Jobs
            .Where(j => j.Id == jobId && (j.Status == JobStatus.CompletedWithErrors || j.Status == JobStatus.Failed))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Running).SetProperty(j => j.FinishedAt, (DateTimeOffset?)null), cancellationToken);
        if (reopened == 0)
        {
            return await RefusalAsync(jobId, cancellationToken);
        }

        var images = await db.Images
            .Where(i => i.JobId == jobId && i.Status == ImageStatus.Failed)
            .ExecuteUpdateAsync(
                s => s.SetProperty(i => i.Status, ImageStatus.Pending)
                    .SetProperty(i => i.Attempts, 0)
                    .SetProperty(i => i.Error, (string?)null)
                    .SetProperty(i => i.FinishedAt, (DateTimeOffset?)null)
                    .SetProperty(i => i.DispatchedAt, (DateTimeOffset?)null),
                cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        logger.LogInformation("Job {JobId} retries its {Images} failed images", jobId, images);
        dispatch.Notify();
        return (true, null);
    }

    private async Task<(bool Found, JobStatus? Refused)> ChangeAsync(
        Guid jobId,
        Expression<Func<RenderJob, bool>> allowed,
        Action<UpdateSettersBuilder<RenderJob>> change,
        string changed,
        CancellationToken cancellationToken)
    {
        if (await db.Jobs.Where(j => j.Id == jobId).Where(allowed).ExecuteUpdateAsync(change, cancellationToken) == 0)
        {
            return await RefusalAsync(jobId, cancellationToken);
        }

        logger.LogInformation("Job {JobId} {Change}", jobId, changed);
        dispatch.Notify();
        return (true, null);
    }

    private async Task<(bool Found, JobStatus? Refused)> RefusalAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var status = await db.Jobs.Where(j => j.Id == jobId).Select(j => (JobStatus?)j.Status).SingleOrDefaultAsync(cancellationToken);
        return (status is not null, status);
    }
}

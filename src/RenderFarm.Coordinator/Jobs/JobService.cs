using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Deadlines;
using RenderFarm.Coordinator.Dispatch;
using RenderFarm.Coordinator.Quotas;
using RenderFarm.Coordinator.Webhooks;
using RenderFarm.Coordinator.Models;
using RenderFarm.Core.Dispatch;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Infrastructure.Messaging;
using RenderFarm.Infrastructure.Persistence;
using RenderFarm.Core.Telemetry;

namespace RenderFarm.Coordinator.Jobs;

/// <summary>Accepts and cancels jobs. A job and all its image rows are written in one transaction before it is acknowledged.</summary>
public sealed class JobService(
    RenderFarmDbContext db,
    IPublishEndpoint publisher,
    BrokerSends sends,
    ModelCatalogService catalogs,
    IOptions<JobLimitsOptions> limits,
    DispatchSignal dispatch,
    QuotaGate quotas,
    WebhookSecrets webhookSecrets,
    WebhookOutbox webhooks,
    FinishEstimates finishes,
    TimeProvider clock,
    ILogger<JobService> logger)
{
    /// <summary>Returns the accepted job, or null with the validation errors keyed by field.</summary>
    public Task<JobSubmission> SubmitAsync(JobRequest request, CancellationToken cancellationToken) =>
        SubmitAsync(request, studioId: null, origin: null, cancellationToken);

    /// <param name="studioId">The studio that will own the job; null in the embedded mode.</param>
    /// <param name="origin">The schedule firing this job is for; null for a job a client submitted.</param>
    /// <remarks>Saves through the scoped context, so a caller's open transaction (a schedule firing) covers the job too.</remarks>
    public async Task<JobSubmission> SubmitAsync(JobRequest request, Guid? studioId, JobOrigin? origin, CancellationToken cancellationToken)
    {
        var catalog = await catalogs.GetAsync(cancellationToken);
        var spec = new JobRequestValidator(catalog, limits.Value).Validate(request, out var errors);
        if (spec is null)
        {
            return new JobSubmission(null, errors);
        }

        // A known model nobody serves is accepted and waits (GET /api/jobs/{id} says so), unless the caller would rather know now.
        if (request.RequireWorker == true && !catalog.HasWorkerFor(spec.Model, spec.RequiredLabels))
        {
            var labels = spec.RequiredLabels.Count == 0 ? "" : $" with labels {string.Join(", ", spec.RequiredLabels)}";
            return new JobSubmission(null, errors, $"No live worker serves model '{spec.Model}'{labels}.");
        }

        // A deadline is checked against the farm's measured pace before anything is written.
        JobEstimate? estimate = null;
        if (request.Deadline is { } deadline)
        {
            estimate = await finishes.ForNewJobAsync(spec.Model, spec.Priority, spec.ImageCount, deadline, cancellationToken);
            if (request.RequireDeadline == true && estimate.AtRisk)
            {
                return new JobSubmission(null, errors, MissesDeadline: estimate);
            }
        }

        // A schedule firing brings its own transaction; the quota check and the rows must share one.
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        if (studioId is { } studio)
        {
            await LockStudioAsync(studio, cancellationToken);
            if (await quotas.CheckAsync(studio, spec.ImageCount, cancellationToken) is { } refusal)
            {
                throw new QuotaExceededException(refusal);
            }
        }

        var now = clock.GetUtcNow();
        var job = JobSplitter.Split(spec, Guid.CreateVersion7(now), now, studioId);
        job.ScheduleId = origin?.ScheduleId;
        job.ScheduledFor = origin?.ScheduledFor;
        job.Deadline = request.Deadline;
        job.WebhookUrl = request.Webhook;
        job.WebhookSecret = webhookSecrets.Protect(request.WebhookSecret);
        job.TraceParent = FarmTracing.CurrentTraceParent();

        // Only with the model's identity from its workers: a key is only as good as the identity in it.
        var reused = 0;
        if (request.Reuse != false && catalog.Find(spec.Model) is { Identity: { } identity } model)
        {
            RenderKeys.Assign(job, identity, model.Definition.Sampler);
            reused = await ReuseRenderedAsync(job, now, cancellationToken);
        }

        // The job through EF, its images in one set-based insert rather than a tracked entity and a statement each.
        var images = job.Images.ToList();
        job.Images.Clear();
        db.Jobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        await ImageRowWriter.InsertAsync(db, images, cancellationToken);
        if (job.Status == JobStatus.Completed)
        {
            await webhooks.EnqueueJobFinishedAsync(job.Id, cancellationToken);
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        logger.LogInformation("Job {JobId} accepted: {ImageCount} images of {Model} at {Width}x{Height}, priority {Priority}, {Reused} already rendered",
            job.Id, job.ImageCount, job.Model, job.Width, job.Height, job.Priority.ToWire(), reused);
        dispatch.NotifyNewJob();
        return new JobSubmission(new JobAccepted(job.Id, job.ImageCount, job.Status.ToWire(), estimate?.Eta, estimate?.AtRisk), errors);
    }

    /// <summary>Cancels a job: images still in the database never leave it, and workers skip those already queued (told by <see cref="JobCancelled"/>).</summary>
    /// <returns>
    /// <c>Found</c> false when no such job exists; <c>FinishedAs</c> the status of a job that had already finished
    /// (cancelled included), which this call left as it was.
    /// </returns>
    public async Task<(bool Found, JobStatus? FinishedAs)> CancelAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var status = await StatusAsync(jobId, cancellationToken);
        if (status is null || status.Value.IsFinished())
        {
            return (status is not null, status);
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Images before the job: the dispatcher locks in that order too, so the two never deadlock.
        var images = await db.Images
            .Where(i => i.JobId == jobId && (i.Status == ImageStatus.Pending || i.Status == ImageStatus.Dispatched))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImageStatus.Cancelled).SetProperty(i => i.FinishedAt, now), cancellationToken);
        var cancelled = await db.Jobs
            .Where(j => j.Id == jobId && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running || j.Status == JobStatus.Paused))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Cancelled).SetProperty(j => j.FinishedAt, now), cancellationToken);
        if (cancelled > 0)
        {
            await webhooks.EnqueueJobFinishedAsync(jobId, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (cancelled > 0)
        {
            logger.LogInformation("Job {JobId} cancelled; {Images} images will not be rendered", jobId, images);

            // Workers skip the job's images they still hold instead of rendering and uploading them for nothing. The
            // cancellation stands without it: results of a cancelled job are refused.
            try
            {
                await sends.WithinTimeoutAsync(ct => publisher.Publish(new JobCancelled { JobId = jobId }, ct), cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Job {JobId} is cancelled, but workers could not be told: they render what they hold of it, and its results are refused", jobId);
            }
        }

        // Nothing cancelled: the job finished between the read and the update.
        return cancelled > 0 ? (true, null) : (true, await StatusAsync(jobId, cancellationToken));
    }

    /// <summary>
    /// Gives each image whose render key the studio already has rendered that image's stored object instead of a
    /// render (one query for the whole job). Objects are shared, not copied: retention deletes an object only when no
    /// row points to it any more. The sources are rendered originals only: reused rows would make the lookup of a job
    /// submitted again and again grow with each submission; once retention has removed an original, its key renders
    /// anew. A job whose every image is reused is finished at once.
    /// </summary>
    /// <returns>How many images were reused.</returns>
    private async Task<int> ReuseRenderedAsync(RenderJob job, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keys = job.Images.Select(i => i.RenderKey!).Distinct().ToList();
        var found = (await db.Images.IgnoreQueryFilters().AsNoTracking()
                .Where(i => i.StudioId == job.StudioId && i.Status == ImageStatus.Rendered && !i.Reused && i.ObjectKey != null && i.RenderKey != null && keys.Contains(i.RenderKey))
                .Select(i => new { i.RenderKey, i.ObjectKey, i.ContentType, i.Bytes })
                .ToListAsync(cancellationToken))
            .DistinctBy(i => i.RenderKey)
            .ToDictionary(i => i.RenderKey!);
        var reused = 0;
        foreach (var image in job.Images)
        {
            if (found.TryGetValue(image.RenderKey!, out var source))
            {
                image.Status = ImageStatus.Rendered;
                image.Reused = true;
                image.ObjectKey = source.ObjectKey;
                image.ContentType = source.ContentType;
                image.Bytes = source.Bytes;
                image.RenderMilliseconds = 0;
                image.FinishedAt = now;
                reused++;
            }
        }

        if (reused == job.Images.Count)
        {
            job.Status = JobStatus.Completed;
            job.StartedAt = job.FinishedAt = now;
        }

        return reused;
    }

    /// <summary>One submission of a studio at a time on PostgreSQL, so two at once cannot both fit in the last of a quota.</summary>
    private async Task LockStudioAsync(Guid studioId, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"""SELECT 1 FROM studios WHERE "Id" = {studioId} FOR UPDATE""", cancellationToken);
        }
    }

    private Task<JobStatus?> StatusAsync(Guid jobId, CancellationToken cancellationToken) =>
        db.Jobs.Where(j => j.Id == jobId).Select(j => (JobStatus?)j.Status).SingleOrDefaultAsync(cancellationToken);
}

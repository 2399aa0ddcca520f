using Microsoft.EntityFrameworkCore;
using RenderFarm.Coordinator.Deadlines;
using RenderFarm.Coordinator.Events;
using RenderFarm.Coordinator.Models;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Coordinator.Usage;
using RenderFarm.Coordinator.Webhooks;
using RenderFarm.Core.Webhooks;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Jobs;

/// <summary>Read side of jobs and images; progress is counted from the image rows, the record of truth.</summary>
public sealed class JobQueries(RenderFarmDbContext db, ModelCatalogService catalogs, UsageQueries usage, JobStepProgress steps, FinishEstimates finishes)
{
    /// <summary>The job with its engine time and cost (a list leaves those out: they are summed per device class).</summary>
    public async Task<JobView?> GetAsync(Guid jobId, CancellationToken cancellationToken)
    {
        if ((await ListAsync(db.Jobs.Where(j => j.Id == jobId), cancellationToken)).SingleOrDefault() is not { } job)
        {
            return null;
        }

        var (gpuSeconds, cost) = await usage.ForJobAsync(jobId, cancellationToken);
        return job with { GpuSeconds = gpuSeconds, Cost = cost };
    }

    /// <param name="studioId">Only this studio's jobs (what admins filter by; others see only their own anyway).</param>
    public Task<IReadOnlyList<JobView>> ListAsync(JobStatus? status, int limit, Guid? studioId, CancellationToken cancellationToken)
    {
        var jobs = db.Jobs.AsQueryable();
        if (studioId is { } studio)
        {
            jobs = jobs.Where(j => j.StudioId == studio);
        }

        if (status is { } wanted)
        {
            jobs = jobs.Where(j => j.Status == wanted);
        }

        // Version-7 ids grow with creation time, so this is newest first without sorting on a timestamp.
        return ListAsync(jobs.OrderByDescending(j => j.Id).Take(limit), cancellationToken);
    }

    public async Task<IReadOnlyList<JobImageView>?> GetImagesAsync(Guid jobId, CancellationToken cancellationToken)
    {
        if (!await db.Jobs.AnyAsync(j => j.Id == jobId, cancellationToken))
        {
            return null;
        }

        var images = await db.Images.AsNoTracking()
            .Where(i => i.JobId == jobId)
            .OrderBy(i => i.Index)
            .ToListAsync(cancellationToken);
        return images.Select(i => new JobImageView(
            i.Id, i.Index, i.Prompt, i.Seed, i.Status.ToString().ToLowerInvariant(), i.Attempts, i.Error,
            i.ObjectKey is null ? null : ImageContentPath(i.Id), i.ContentType, i.Bytes, i.RenderMilliseconds, i.WorkerId, i.Reused)).ToList();
    }

    /// <summary>The stored object of a rendered image, or null when there is none.</summary>
    /// <param name="ignoreStudios">For a signed link, which is its own proof of access.</param>
    public Task<JobImage?> FindRenderedImageAsync(Guid imageId, CancellationToken cancellationToken, bool ignoreStudios = false) =>
        (ignoreStudios ? db.Images.IgnoreQueryFilters() : db.Images).AsNoTracking().SingleOrDefaultAsync(i => i.Id == imageId && i.ObjectKey != null, cancellationToken);

    /// <summary>The job's webhook deliveries, oldest first; null when there is no such job (for this caller).</summary>
    public async Task<IReadOnlyList<WebhookDeliveryView>?> GetDeliveriesAsync(Guid jobId, CancellationToken cancellationToken)
    {
        if (!await db.Jobs.AnyAsync(j => j.Id == jobId, cancellationToken))
        {
            return null;
        }

        return await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.JobId == jobId)
            .OrderBy(d => d.CreatedAt)
            .Select(d => new WebhookDeliveryView(d.Id, d.Event, d.Url, d.Status.ToString().ToLowerInvariant(), d.Attempts, d.CreatedAt, d.LastAttemptAt,
                d.LastStatusCode, d.LastError, d.DeliveredAt, d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null))
            .ToListAsync(cancellationToken);
    }

    public static string ImageContentPath(Guid imageId) => $"/api/images/{imageId:D}/content";

    public static string ImageThumbnailPath(Guid imageId) => $"/api/images/{imageId:D}/thumbnail";

    private async Task<IReadOnlyList<JobView>> ListAsync(IQueryable<RenderJob> jobs, CancellationToken cancellationToken)
    {
        var rows = await jobs.AsNoTracking()
            .Select(j => new
            {
                Job = j,
                Rendered = j.Images.Count(i => i.Status == ImageStatus.Rendered),
                Failed = j.Images.Count(i => i.Status == ImageStatus.Failed),
                Cancelled = j.Images.Count(i => i.Status == ImageStatus.Cancelled),
                Reused = j.Images.Count(i => i.Reused),
                Studio = db.Studios.Where(s => s.Id == j.StudioId).Select(s => s.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);

        var waiting = rows.Where(r => r.Job.Status is JobStatus.Queued or JobStatus.Running).ToList();
        var estimates = waiting.Count > 0 ? await finishes.ForActiveJobsAsync(cancellationToken) : [];
        var catalog = waiting.Count > 0 ? await catalogs.GetAsync(cancellationToken) : null;
        var unserved = waiting
            .Where(r => !catalog!.HasWorkerFor(r.Job.Model, r.Job.RequiredLabels))
            .Select(r => r.Job.Id)
            .ToHashSet();
        return rows.Select(r => new JobView(
            r.Job.Id, r.Job.Status.ToWire(), r.Job.Priority.ToWire(), r.Job.Model, r.Job.Width, r.Job.Height, r.Job.Steps,
            r.Job.Guidance, r.Job.Seed, r.Job.ImageCount, r.Rendered, r.Failed, r.Cancelled,
            r.Job.CreatedAt, r.Job.StartedAt, r.Job.FinishedAt,
            r.Job.Prompts, r.Job.NegativePrompt, r.Job.CountPerPrompt, r.Job.Format, r.Job.ScheduleId, r.Job.ScheduledFor,
            r.Job.RequiredLabels, unserved.Contains(r.Job.Id), r.Job.StudioId, r.Studio, Noise: r.Job.Noise,
            EngineStep: steps.Get(r.Job.Id) is { } s ? new StepProgressView(s.Step, s.TotalSteps) : null, Reused: r.Reused,
            Deadline: r.Job.Deadline, Eta: estimates.GetValueOrDefault(r.Job.Id)?.Eta, AtRisk: estimates.GetValueOrDefault(r.Job.Id)?.AtRisk ?? false)).ToList();
    }
}

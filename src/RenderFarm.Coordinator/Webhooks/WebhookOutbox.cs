using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Webhooks;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Webhooks;

/// <summary>
/// Writes a finished job's webhook delivery through the caller's context, so it commits (or not) with the change that
/// finished the job; the sender delivers it. The body is fixed here: every attempt sends, and signs, the same bytes.
/// </summary>
public sealed class WebhookOutbox(RenderFarmDbContext db, WebhookSignal signal, TimeProvider clock)
{
    public const string JobFinished = "job.finished";
    public const string JobAtRisk = "job.at_risk";

    public Task EnqueueJobFinishedAsync(Guid jobId, CancellationToken cancellationToken) => EnqueueAsync(jobId, JobFinished, eta: null, cancellationToken);

    /// <summary>The job cannot make its deadline even with its model's whole farm (sent once, as soon as that is known).</summary>
    public Task EnqueueJobAtRiskAsync(Guid jobId, DateTimeOffset? eta, CancellationToken cancellationToken) => EnqueueAsync(jobId, JobAtRisk, eta, cancellationToken);

    private async Task EnqueueAsync(Guid jobId, string eventName, DateTimeOffset? eta, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job?.WebhookUrl is null)
        {
            return;
        }

        var counts = await db.Images.IgnoreQueryFilters().Where(i => i.JobId == jobId)
            .GroupBy(i => i.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var rendered = await db.Images.IgnoreQueryFilters().AsNoTracking()
            .Where(i => i.JobId == jobId && i.Status == ImageStatus.Rendered)
            .OrderBy(i => i.Index)
            .Select(i => new JobEventPayload.ImageSummary(i.Id, i.Index, i.Prompt, i.Seed, JobQueries.ImageContentPath(i.Id)))
            .ToListAsync(cancellationToken);

        var now = clock.GetUtcNow();
        var delivery = new WebhookDelivery
        {
            Id = Guid.CreateVersion7(now),
            JobId = jobId,
            StudioId = job.StudioId,
            Event = eventName,
            Url = job.WebhookUrl,
            Status = WebhookDeliveryStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
        };
        var summary = new JobEventPayload.JobSummary(
            job.Id, job.Status.ToWire(), job.Model, job.ImageCount, counts.GetValueOrDefault(ImageStatus.Rendered), counts.GetValueOrDefault(ImageStatus.Failed),
            counts.GetValueOrDefault(ImageStatus.Cancelled), job.CreatedAt, job.FinishedAt, job.ScheduleId, job.Deadline, eta);
        delivery.Payload = JsonSerializer.Serialize(new JobEventPayload(eventName, delivery.Id, summary, rendered), JsonSerializerOptions.Web);
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        signal.Notify();
    }
}

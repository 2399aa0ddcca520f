namespace RenderFarm.Coordinator.Webhooks;

/// <summary>What a webhook receives: its job finished (<c>job.finished</c>), or cannot make its deadline (<c>job.at_risk</c>).</summary>
/// <param name="Images">The rendered images so far, with where to fetch each (the images API, with a key).</param>
public sealed record JobEventPayload(string Event, Guid DeliveryId, JobEventPayload.JobSummary Job, IReadOnlyList<JobEventPayload.ImageSummary> Images)
{
    public sealed record JobSummary(
        Guid Id, string Status, string Model, int Total, int Completed, int Failed, int Cancelled, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt,
        Guid? ScheduleId, DateTimeOffset? Deadline = null, DateTimeOffset? Eta = null);

    public sealed record ImageSummary(Guid Id, int Index, string Prompt, long Seed, string Url);
}

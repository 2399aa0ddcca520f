namespace RenderFarm.Coordinator.Webhooks;

/// <summary>What a webhook receives when its job finishes.</summary>
/// <param name="Event">Always <c>job.finished</c>.</param>
/// <param name="Images">The rendered images, with where to fetch each (the images API, with a key).</param>
public sealed record JobFinishedPayload(string Event, Guid DeliveryId, JobFinishedPayload.JobSummary Job, IReadOnlyList<JobFinishedPayload.ImageSummary> Images)
{
    public sealed record JobSummary(Guid Id, string Status, string Model, int Total, int Completed, int Failed, int Cancelled, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, Guid? ScheduleId);

    public sealed record ImageSummary(Guid Id, int Index, string Prompt, long Seed, string Url);
}

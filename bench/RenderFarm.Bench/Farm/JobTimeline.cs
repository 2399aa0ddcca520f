namespace RenderFarm.Bench.Farm;

/// <summary>A job's timestamps as the database recorded them, and its images'.</summary>
public sealed record JobTimeline(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, IReadOnlyList<ImageTimeline> Images)
{
    public DateTimeOffset? FirstDispatchedAt => Images.Min(i => i.DispatchedAt);

    public DateTimeOffset? LastImageFinishedAt => Images.Max(i => i.FinishedAt);

    /// <summary>The job's last image recorded → the job finished; null while either is missing.</summary>
    public TimeSpan? Finalising => FinishedAt - LastImageFinishedAt;
}

namespace RenderFarm.Bench.Farm;

/// <summary>An image's timestamps: when it was (last) put on the bus, and when its result was recorded.</summary>
public sealed record ImageTimeline(DateTimeOffset? DispatchedAt, DateTimeOffset? FinishedAt);

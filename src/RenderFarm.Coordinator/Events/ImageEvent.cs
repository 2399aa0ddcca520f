namespace RenderFarm.Coordinator.Events;

/// <summary>What a browser hears about one image: its steps in the engine, rendered (with where to fetch it), or failed for good; and jobs at risk.</summary>
public sealed record ImageEvent(
    string Type,
    Guid JobId,
    Guid ImageId,
    int Index,
    long? Seed = null,
    string? Url = null,
    string? ThumbnailUrl = null,
    long? RenderMilliseconds = null,
    string? WorkerId = null,
    string? Error = null,
    int? Step = null,
    int? TotalSteps = null,
    DateTimeOffset? Eta = null,
    DateTimeOffset? Deadline = null)
{
    /// <summary>A job that cannot make its deadline even with its model's whole farm (the image fields are empty).</summary>
    public const string JobAtRisk = "jobAtRisk";

    public const string Rendered = "imageRendered";
    public const string Failed = "imageFailed";
    public const string Progress = "imageProgress";
}

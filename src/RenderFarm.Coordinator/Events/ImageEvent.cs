namespace RenderFarm.Coordinator.Events;

/// <summary>What a browser hears about one image: its steps in the engine, rendered (with where to fetch it), or failed for good.</summary>
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
    int? TotalSteps = null)
{
    public const string Rendered = "imageRendered";
    public const string Failed = "imageFailed";
    public const string Progress = "imageProgress";
}

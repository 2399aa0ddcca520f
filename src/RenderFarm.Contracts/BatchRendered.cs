namespace RenderFarm.Contracts;

/// <summary>
/// A worker finished a batch: one message for all its images, so the coordinator records them in one statement.
/// </summary>
public sealed record BatchRendered
{
    public required string WorkerId { get; init; }
    public required IReadOnlyList<ImageRendered> Rendered { get; init; }
    public required IReadOnlyList<ImageFailed> Failed { get; init; }
}

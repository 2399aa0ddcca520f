namespace RenderFarm.Contracts;

/// <summary>
/// A worker finished a batch: one message for all its images, so the coordinator records them in one statement.
/// </summary>
public sealed record BatchRendered
{
    public required string WorkerId { get; init; }
    public required IReadOnlyList<ImageRendered> Rendered { get; init; }
    /// <summary>Attempts the model failed: each counts towards the image's attempts.</summary>
    public required IReadOnlyList<ImageFailed> Failed { get; init; }

    /// <summary>
    /// Images rendered but not stored because a dependency failed (the object store was unreachable past every
    /// retry): they go back to pending without an attempt charged, since the model did nothing wrong.
    /// </summary>
    public IReadOnlyList<ImageFailed> Returned { get; init; } = [];
}

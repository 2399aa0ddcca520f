namespace RenderFarm.Contracts;

/// <summary>
/// The coordinator recorded these outcomes (duplicates and results for cancelled images left out); every
/// coordinator replica hears it, to tell its browsers.
/// </summary>
public sealed record ImagesRecorded
{
    public required IReadOnlyList<ImageRendered> Rendered { get; init; }

    /// <summary>Images that failed for good; attempts that will be retried are not announced.</summary>
    public required IReadOnlyList<ImageFailed> Failed { get; init; }
}

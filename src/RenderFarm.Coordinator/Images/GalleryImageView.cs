namespace RenderFarm.Coordinator.Images;

/// <summary>A rendered image as the gallery lists it.</summary>
public sealed record GalleryImageView(
    Guid Id,
    Guid JobId,
    int Index,
    string Prompt,
    long Seed,
    string Model,
    int Width,
    int Height,
    DateTimeOffset? FinishedAt,
    string Url,
    string ThumbnailUrl);

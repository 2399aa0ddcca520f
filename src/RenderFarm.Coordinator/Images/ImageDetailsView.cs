namespace RenderFarm.Coordinator.Images;

/// <summary>One rendered image with everything it was made from. <see cref="Parameters"/> is the text embedded in the file itself.</summary>
public sealed record ImageDetailsView(
    Guid Id,
    Guid JobId,
    int Index,
    string Prompt,
    string NegativePrompt,
    long Seed,
    string Model,
    int Width,
    int Height,
    int Steps,
    double Guidance,
    string Format,
    string? ContentType,
    long? Bytes,
    long? RenderMilliseconds,
    string? WorkerId,
    DateTimeOffset? FinishedAt,
    string Url,
    string ThumbnailUrl,
    string? Parameters);

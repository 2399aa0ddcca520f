namespace RenderFarm.Coordinator.Jobs;

public sealed record JobImageView(
    Guid Id,
    int Index,
    string Prompt,
    long Seed,
    string Status,
    int Attempts,
    string? Error,
    string? Url,
    string? ContentType,
    long? Bytes,
    long? RenderMilliseconds,
    string? WorkerId,
    bool Reused = false);

namespace RenderFarm.Contracts;

/// <summary>An image was rendered and stored; <see cref="ObjectKey"/> names it in the image store.</summary>
public sealed record ImageRendered
{
    public required Guid JobId { get; init; }
    public required Guid ImageId { get; init; }
    public required int Index { get; init; }
    public required string ObjectKey { get; init; }
    public required long Seed { get; init; }
    public required long Bytes { get; init; }
    public required long RenderMilliseconds { get; init; }
    public required string WorkerId { get; init; }
}

namespace RenderFarm.Contracts;

/// <summary>One image a worker rendered and stored under <see cref="ObjectKey"/>; an item of <see cref="BatchRendered"/> and <see cref="ImagesRecorded"/>.</summary>
public sealed record ImageRendered
{
    public required Guid JobId { get; init; }
    public required Guid ImageId { get; init; }
    public required int Index { get; init; }
    public required string ObjectKey { get; init; }
    public required string ContentType { get; init; }
    public required long Seed { get; init; }
    public required long Bytes { get; init; }

    /// <summary>This image's share of the engine call that rendered it.</summary>
    public required long RenderMilliseconds { get; init; }

    public required string WorkerId { get; init; }

    /// <summary>What rendered it ("cuda:0 NVIDIA H100 …", "cpu"): its GPU-seconds are priced by device class.</summary>
    public string? Device { get; init; }
}

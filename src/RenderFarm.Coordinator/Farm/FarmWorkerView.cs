namespace RenderFarm.Coordinator.Farm;

/// <summary>A live worker with its recent throughput, counted from the images it finished.</summary>
public sealed record FarmWorkerView(
    string Id,
    string Host,
    string Device,
    IReadOnlyList<string> Models,
    IReadOnlyList<string> Labels,
    long? DeviceMemoryBytes,
    int BatchSize,
    long ImagesRendered,
    double ImagesPerMinute,
    DateTimeOffset StartedAt,
    DateTimeOffset LastSeen,
    string State,
    string? StateReason);

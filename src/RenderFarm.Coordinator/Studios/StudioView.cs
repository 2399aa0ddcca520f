namespace RenderFarm.Coordinator.Studios;

public sealed record StudioView(
    Guid Id,
    string Name,
    int Share,
    int? MaxImagesPerJob,
    int? MaxQueuedImages,
    int? MaxImagesPerDay,
    long? MaxGpuSecondsPerMonth,
    DateTimeOffset CreatedAt);

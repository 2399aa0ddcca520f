namespace RenderFarm.Coordinator.Studios;

/// <summary>A studio to create, or its new share and quotas (a quota left null takes the farm's default).</summary>
public sealed record StudioRequest(
    string? Name,
    int? Share = null,
    int? MaxImagesPerJob = null,
    int? MaxQueuedImages = null,
    int? MaxImagesPerDay = null,
    long? MaxGpuSecondsPerMonth = null);

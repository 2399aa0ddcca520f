namespace RenderFarm.Worker.Rendering;

/// <summary>What this worker has done since it started, for its heartbeats.</summary>
public sealed class RenderStatistics
{
    private long _imagesRendered;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public long ImagesRendered => Interlocked.Read(ref _imagesRendered);

    public void AddRendered() => Interlocked.Increment(ref _imagesRendered);
}

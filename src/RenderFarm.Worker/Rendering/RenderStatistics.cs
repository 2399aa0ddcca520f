namespace RenderFarm.Worker.Rendering;

/// <summary>What this worker has done since it started, for its heartbeats.</summary>
public sealed class RenderStatistics
{
    private readonly Lock _lock = new();
    private long _imagesRendered;
    private double _engineMillisecondsPerImage = double.NaN;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public long ImagesRendered => Interlocked.Read(ref _imagesRendered);

    /// <summary>Recent engine time per image (an exponential moving average over batches); null before the first batch.</summary>
    public double? EngineMillisecondsPerImage
    {
        get
        {
            lock (_lock)
            {
                return double.IsNaN(_engineMillisecondsPerImage) ? null : _engineMillisecondsPerImage;
            }
        }
    }

    /// <summary>Raised once, when the first engine call gives <see cref="EngineMillisecondsPerImage"/> a value.</summary>
    public event Action? FirstEngineCall;

    public void AddRendered(int images) => Interlocked.Add(ref _imagesRendered, images);

    public void AddEngineCall(int images, TimeSpan elapsed)
    {
        var perImage = elapsed.TotalMilliseconds / images;
        bool first;
        lock (_lock)
        {
            first = double.IsNaN(_engineMillisecondsPerImage);
            _engineMillisecondsPerImage = first ? perImage : (0.8 * _engineMillisecondsPerImage) + (0.2 * perImage);
        }

        if (first)
        {
            FirstEngineCall?.Invoke();
        }
    }
}

namespace RenderFarm.Bench.Farm;

/// <summary>Adds up engine calls from any thread.</summary>
public sealed class EngineMeter
{
    private long _busyTicks;
    private long _batches;
    private long _images;

    public void Add(TimeSpan busy, int images)
    {
        Interlocked.Add(ref _busyTicks, busy.Ticks);
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _images, images);
    }

    public EngineUsage Read() =>
        new(TimeSpan.FromTicks(Interlocked.Read(ref _busyTicks)).TotalMilliseconds, Interlocked.Read(ref _batches), Interlocked.Read(ref _images));
}

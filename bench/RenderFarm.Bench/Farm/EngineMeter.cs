using System.Diagnostics;

namespace RenderFarm.Bench.Farm;

/// <summary>
/// Adds up engine calls from any thread. Busy is the time with at least one call in progress, so an engine with two
/// slots rendering at once reads as busy, not as twice busy.
/// </summary>
public sealed class EngineMeter
{
    private readonly Lock _gate = new();
    private int _inProgress;
    private long _busySince;
    private long _busyTicks;
    private long _batches;
    private long _images;

    public void Enter()
    {
        lock (_gate)
        {
            if (_inProgress++ == 0)
            {
                _busySince = Stopwatch.GetTimestamp();
            }
        }
    }

    public void Exit(int images)
    {
        lock (_gate)
        {
            if (--_inProgress == 0)
            {
                _busyTicks += Stopwatch.GetElapsedTime(_busySince).Ticks;
            }

            _batches++;
            _images += images;
        }
    }

    public EngineUsage Read()
    {
        lock (_gate)
        {
            return new(TimeSpan.FromTicks(_busyTicks).TotalMilliseconds, _batches, _images);
        }
    }
}

namespace RenderFarm.Core.Telemetry;

/// <summary>
/// A worker's engine-busy fraction for the <c>worker.engine_busy</c> gauge: engine time over wall time in the last
/// <see cref="Window"/>, across its engine slots. Calls still in the engine count up to now, so a model that takes
/// minutes per batch does not read idle while it renders. Reported from construction until disposed.
/// </summary>
public sealed class EngineBusyWindow : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly Queue<(DateTimeOffset Start, DateTimeOffset End)> _finished = new();
    private readonly List<DateTimeOffset> _running = [];
    private readonly int _slots;
    private readonly TimeProvider _clock;
    private readonly DateTimeOffset _created;

    public EngineBusyWindow(string worker, int slots, TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        Worker = worker;
        _slots = slots;
        _clock = clock;
        _created = clock.GetUtcNow();
        FarmMetrics.ObserveEngineBusy(this);
    }

    public string Worker { get; }

    /// <summary>Counts the engine as busy until the returned scope is disposed.</summary>
    public IDisposable Enter()
    {
        var start = _clock.GetUtcNow();
        lock (_lock)
        {
            _running.Add(start);
        }

        return new EngineCall(this, start);
    }

    /// <summary>Engine time over wall time in the last minute (or since start, when younger), from 0 to 1.</summary>
    public double Fraction()
    {
        var now = _clock.GetUtcNow();
        var from = now - Window;
        var wall = now - (_created > from ? _created : from);
        if (wall <= TimeSpan.Zero)
        {
            return 0;
        }

        var busy = TimeSpan.Zero;
        lock (_lock)
        {
            while (_finished.TryPeek(out var call) && call.End <= from)
            {
                _finished.Dequeue();
            }

            foreach (var (start, end) in _finished)
            {
                busy += end - (start > from ? start : from);
            }

            foreach (var start in _running)
            {
                busy += now - (start > from ? start : from);
            }
        }

        return Math.Min(1, busy / wall / _slots);
    }

    public void Dispose() => FarmMetrics.ForgetEngineBusy(this);

    private void Exit(DateTimeOffset start)
    {
        var end = _clock.GetUtcNow();
        lock (_lock)
        {
            _running.Remove(start);
            _finished.Enqueue((start, end));
        }
    }

    private sealed class EngineCall(EngineBusyWindow window, DateTimeOffset start) : IDisposable
    {
        public void Dispose() => window.Exit(start);
    }
}

namespace RenderFarm.Coordinator.Deadlines;

/// <summary>The last measured images per second of each model, reused for half a second: the dispatcher asks every round.</summary>
public sealed class ThroughputReading
{
    private readonly Lock _lock = new();
    private (DateTimeOffset At, IReadOnlyDictionary<string, double> Rates)? _last;

    public IReadOnlyDictionary<string, double>? Get(DateTimeOffset now, TimeSpan maxAge)
    {
        lock (_lock)
        {
            return _last is { } last && now - last.At < maxAge ? last.Rates : null;
        }
    }

    public void Set(DateTimeOffset now, IReadOnlyDictionary<string, double> rates)
    {
        lock (_lock)
        {
            _last = (now, rates);
        }
    }
}

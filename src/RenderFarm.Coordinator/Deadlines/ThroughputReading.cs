namespace RenderFarm.Coordinator.Deadlines;

/// <summary>The last measured images per second of each model, reused for a while: job views and the dispatcher ask often.</summary>
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

namespace RenderFarm.Worker.Rendering;

/// <summary>
/// Holds the engine back while the object store is unreachable: once an upload failed past its retries, no new batch
/// is taken for a while (doubling up to <see cref="MaximumPause"/> while failures go on), so a store outage costs
/// time instead of GPU work that could not be kept. One successful upload opens the gate again.
/// </summary>
public sealed class StoreOutageGate(TimeProvider clock)
{
    public static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaximumPause = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private TimeSpan _pause = TimeSpan.Zero;
    private DateTimeOffset _closedUntil = DateTimeOffset.MinValue;

    /// <summary>How long the engine should still wait before it takes work; zero when the store is fine.</summary>
    public TimeSpan Remaining
    {
        get
        {
            lock (_lock)
            {
                var left = _closedUntil - clock.GetUtcNow();
                return left > TimeSpan.Zero ? left : TimeSpan.Zero;
            }
        }
    }

    /// <summary>Closes the gate; failures while it is closed (the rest of the same batch) do not lengthen the pause.</summary>
    public void UploadFailed()
    {
        lock (_lock)
        {
            if (clock.GetUtcNow() < _closedUntil)
            {
                return;
            }

            _pause = _pause == TimeSpan.Zero ? FirstPause : TimeSpan.FromTicks(Math.Min(_pause.Ticks * 2, MaximumPause.Ticks));
            _closedUntil = clock.GetUtcNow() + _pause;
        }
    }

    public void UploadSucceeded()
    {
        lock (_lock)
        {
            _pause = TimeSpan.Zero;
            _closedUntil = DateTimeOffset.MinValue;
        }
    }

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        for (var left = Remaining; left > TimeSpan.Zero; left = Remaining)
        {
            await Task.Delay(left, clock, cancellationToken);
        }
    }
}

namespace RenderFarm.Worker.Rendering;

/// <summary>
/// Holds the engine back while the object store is unreachable: once an upload failed past its retries, no new batch
/// is taken for a while (doubling up to <see cref="MaximumPause"/> while failures go on), so a store outage costs
/// time instead of GPU work that could not be kept. One successful upload opens the gate again, and so does the store
/// answering a probe every <see cref="ProbeInterval"/>, so a long pause does not outlast the outage by up to half a
/// minute.
/// </summary>
public sealed class StoreOutageGate(TimeProvider clock, IStoreProbe probe)
{
    public static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaximumPause = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private TimeSpan _pause = TimeSpan.Zero;
    private DateTimeOffset _closedUntil = DateTimeOffset.MinValue;
    private Uri? _failedAddress;

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
    /// <param name="address">Where the upload went: what the probe checks; null (a local store) is never probed.</param>
    public void UploadFailed(Uri? address)
    {
        lock (_lock)
        {
            _failedAddress = address;
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

    /// <param name="stopWaiting">Asked every <see cref="ProbeInterval"/>: true ends the wait with the gate still closed.</param>
    public async Task WaitAsync(CancellationToken cancellationToken, Func<bool>? stopWaiting = null)
    {
        for (var left = Remaining; left > TimeSpan.Zero && stopWaiting?.Invoke() != true; left = Remaining)
        {
            await Task.Delay(left < ProbeInterval ? left : ProbeInterval, clock, cancellationToken);
            await TryReopenAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Opens a closed gate when the store answers the probe. The pause is kept, so if uploads still fail the next one is
    /// longer, as if the gate had not opened.
    /// </summary>
    public async Task TryReopenAsync(CancellationToken cancellationToken)
    {
        Uri? address;
        lock (_lock)
        {
            address = clock.GetUtcNow() < _closedUntil ? _failedAddress : null;
        }

        if (address is not null && await probe.IsReachableAsync(address, cancellationToken))
        {
            lock (_lock)
            {
                _closedUntil = DateTimeOffset.MinValue;
            }
        }
    }
}

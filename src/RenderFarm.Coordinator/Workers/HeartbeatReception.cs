using MassTransit;

namespace RenderFarm.Coordinator.Workers;

/// <summary>
/// Whether this coordinator's heartbeat endpoint is connected to the broker, and since when. A worker's silence says
/// something about the worker only while the coordinator could have heard it: while the broker is down (or was, a
/// moment ago) every worker is silent, and charging their images an attempt would charge the model for the broker.
/// </summary>
public sealed class HeartbeatReception(TimeProvider clock, ILogger<HeartbeatReception> logger) : IReceiveEndpointObserver
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _listeningSince;

    /// <summary>
    /// True when heartbeats could reach this coordinator at every moment from <paramref name="since"/> until now,
    /// so a worker unheard since then was silent itself.
    /// </summary>
    public bool HeardThroughout(DateTimeOffset since)
    {
        lock (_gate)
        {
            return _listeningSince <= since;
        }
    }

    public Task Ready(ReceiveEndpointReady ready)
    {
        lock (_gate)
        {
            // Ready again after a reconnection restarts the clock: what happened before it went unheard.
            _listeningSince = clock.GetUtcNow();
        }

        logger.LogInformation("Listening to worker heartbeats on {Address}", ready.InputAddress);
        return Task.CompletedTask;
    }

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        if (Deafen())
        {
            logger.LogWarning(
                "Worker heartbeats cannot reach {Address}: no worker is judged silent, and no attempt charged for a lost worker, until they can again",
                faulted.InputAddress);
        }

        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping)
    {
        Deafen();
        return Task.CompletedTask;
    }

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    /// <returns>Whether it was listening until now.</returns>
    private bool Deafen()
    {
        lock (_gate)
        {
            var wasListening = _listeningSince is not null;
            _listeningSince = null;
            return wasListening;
        }
    }
}

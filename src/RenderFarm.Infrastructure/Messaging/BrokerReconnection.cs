using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderFarm.Infrastructure.Hosting;

namespace RenderFarm.Infrastructure.Messaging;

/// <summary>
/// Reconnects receive endpoints as soon as RabbitMQ takes connections again. MassTransit retries each endpoint's lost
/// connection with a backoff that grows to 30 s and does not shrink again, so after an outage of half a minute an
/// endpoint may sleep that long with the broker back: a farm idle for nothing (measured: a new job served 22-25 s after
/// RabbitMQ was back). While an endpoint is faulted this knocks on the broker's port every second, and once it answers,
/// restarts the endpoint, whose first connection attempt is immediate.
/// </summary>
public sealed class BrokerReconnection(IOptions<BusOptions> options, TimeProvider clock, ILogger<BrokerReconnection> logger)
    : BackgroundService, IReceiveEndpointObserver
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long an endpoint stays faulted before it is restarted: long enough for MassTransit's first quick retry, and
    /// for a restart's own attempt to connect or fail (the broker answering TCP before AMQP) before the next.
    /// </summary>
    private static readonly TimeSpan RestartSpacing = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Uri, FaultedEndpoint> _faulted = new();

    public Task Ready(ReceiveEndpointReady ready)
    {
        _faulted.TryRemove(ready.InputAddress, out _);
        return Task.CompletedTask;
    }

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        _faulted.TryAdd(faulted.InputAddress, new FaultedEndpoint(faulted.ReceiveEndpoint, clock.GetUtcNow()));
        return Task.CompletedTask;
    }

    /// <summary>Stopped on purpose (a worker draining, the host stopping, a restart of ours): not ours to start.</summary>
    public Task Stopping(ReceiveEndpointStopping stopping)
    {
        _faulted.TryRemove(stopping.InputAddress, out _);
        return Task.CompletedTask;
    }

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var broker = new Uri(options.Value.RabbitMqUri);
        var port = BusOptions.RabbitMqPort(broker);
        using var timer = new PeriodicTimer(Tick, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var due = _faulted.Where(e => clock.GetUtcNow() - e.Value.Since >= RestartSpacing).ToList();
                if (due.Count > 0 && await TcpPort.AcceptsAsync(broker.Host, port, Tick, stoppingToken))
                {
                    await Task.WhenAll(due.Select(e => RestartAsync(e.Key, e.Value.Endpoint, stoppingToken)));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RestartAsync(Uri address, IReceiveEndpoint endpoint, CancellationToken cancellationToken)
    {
        try
        {
            logger.LogInformation("RabbitMQ answers again: reconnecting {Address} now rather than after MassTransit's backoff", address);
            await endpoint.Stop(cancellationToken);
            endpoint.Start(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Restarting {Address} failed; MassTransit's own retries go on", address);
        }
    }

    private sealed record FaultedEndpoint(IReceiveEndpoint Endpoint, DateTimeOffset Since);
}

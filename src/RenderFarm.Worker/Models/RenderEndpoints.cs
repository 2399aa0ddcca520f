using System.Collections.Concurrent;
using MassTransit;

namespace RenderFarm.Worker.Models;

/// <summary>
/// The render queues this worker listens on: those of the models it had at start, its own, and those connected since a
/// rescan found more; and the endpoints themselves, which drain and quarantine stop and a release starts again.
/// </summary>
public sealed class RenderEndpoints : IReceiveEndpointObserver
{
    private readonly ConcurrentDictionary<string, bool> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Uri, IReceiveEndpoint> _endpoints = new();
    private readonly ConcurrentDictionary<Uri, bool> _faulted = new();

    /// <summary>Raised when an endpoint is ready, its first time or after a restart.</summary>
    public event Action<IReceiveEndpoint>? EndpointReady;

    /// <summary>True the first time a model is added.</summary>
    public bool Add(string model) => _models.TryAdd(model, true);

    public bool Contains(string model) => _models.ContainsKey(model);

    public IReadOnlyCollection<IReceiveEndpoint> Endpoints => [.. _endpoints.Values];

    /// <summary>
    /// False while one of them has lost its broker connection (until it is ready again): messages then wait on the
    /// broker however little the worker holds.
    /// </summary>
    public bool Connected => _faulted.IsEmpty;

    /// <summary>Configures a render endpoint: the render consumer, and this observer so the endpoint can be stopped later.</summary>
    public void Configure(IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
        endpoint.ConfigureConsumer<Consumers.RenderImageConsumer>(context);
        endpoint.ConnectReceiveEndpointObserver(this);
    }

    public Task Ready(ReceiveEndpointReady ready)
    {
        _endpoints[ready.InputAddress] = ready.ReceiveEndpoint;
        _faulted.TryRemove(ready.InputAddress, out _);
        EndpointReady?.Invoke(ready.ReceiveEndpoint);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        _faulted[faulted.InputAddress] = true;
        return Task.CompletedTask;
    }
}

using MassTransit;

namespace RenderFarm.UnitTests.Messaging;

/// <summary>What MassTransit tells a receive endpoint observer, for any of its events.</summary>
internal sealed class EndpointEvent(Uri inputAddress, IReceiveEndpoint? endpoint = null) : ReceiveEndpointReady, ReceiveEndpointFaulted, ReceiveEndpointStopping
{
    public Uri InputAddress => inputAddress;

    public IReceiveEndpoint ReceiveEndpoint => endpoint!;

    public bool IsStarted => true;

    public Exception? Exception => new InvalidOperationException("Broker unreachable");

    public bool Removed => false;
}

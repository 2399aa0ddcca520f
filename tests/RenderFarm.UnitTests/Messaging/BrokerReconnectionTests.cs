using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RenderFarm.Infrastructure.Messaging;

namespace RenderFarm.UnitTests.Messaging;

public sealed class BrokerReconnectionTests
{
    [Fact]
    public async Task A_faulted_endpoint_is_restarted_once_the_broker_answers_and_others_are_left_alone()
    {
        using var broker = new TcpListener(IPAddress.Loopback, 0);
        broker.Start();
        var clock = new ManualClock();
        using var reconnection = Create(((IPEndPoint)broker.LocalEndpoint).Port, clock);
        await reconnection.StartAsync(CancellationToken.None);

        var (faulted, faultedCalls) = RecordingEndpoint.Create();
        var (backAlone, backAloneCalls) = RecordingEndpoint.Create();
        var (stopped, stoppedCalls) = RecordingEndpoint.Create();
        await reconnection.Faulted(new EndpointEvent(new Uri("rabbitmq://localhost/faulted"), faulted));
        await reconnection.Faulted(new EndpointEvent(new Uri("rabbitmq://localhost/back-alone"), backAlone));
        await reconnection.Ready(new EndpointEvent(new Uri("rabbitmq://localhost/back-alone"), backAlone));
        await reconnection.Faulted(new EndpointEvent(new Uri("rabbitmq://localhost/stopped"), stopped));
        await reconnection.Stopping(new EndpointEvent(new Uri("rabbitmq://localhost/stopped"), stopped));
        clock.Advance(TimeSpan.FromSeconds(6));

        await WaitAsync(() => faultedCalls.Calls.Count >= 2);
        await reconnection.StopAsync(CancellationToken.None);

        Assert.Equal(["Stop", "Start"], faultedCalls.Calls);
        Assert.Empty(backAloneCalls.Calls);
        Assert.Empty(stoppedCalls.Calls);
    }

    [Fact]
    public async Task Nothing_is_restarted_while_the_broker_does_not_answer_nor_right_after_the_fault()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var clock = new ManualClock();
        using var reconnection = Create(port, clock);
        await reconnection.StartAsync(CancellationToken.None);
        var (down, downCalls) = RecordingEndpoint.Create();
        await reconnection.Faulted(new EndpointEvent(new Uri("rabbitmq://localhost/down"), down));

        // Two ticks with the broker answering but the fault too fresh for MassTransit's own first retry to have run.
        using (var broker = new TcpListener(IPAddress.Loopback, port))
        {
            broker.Start();
            await Task.Delay(TimeSpan.FromSeconds(2.5));
        }

        Assert.Empty(downCalls.Calls);

        // Two ticks with the fault old enough and nothing on the port.
        clock.Advance(TimeSpan.FromSeconds(6));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await reconnection.StopAsync(CancellationToken.None);

        Assert.Empty(downCalls.Calls);
    }

    private static BrokerReconnection Create(int port, TimeProvider clock) => new(
        Options.Create(new BusOptions { RabbitMqUri = $"amqp://renderfarm:secret@127.0.0.1:{port}/" }),
        clock,
        NullLogger<BrokerReconnection>.Instance);

    private static async Task WaitAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using RenderFarm.Coordinator.Workers;
using RenderFarm.UnitTests.Messaging;

namespace RenderFarm.UnitTests.Workers;

public sealed class HeartbeatReceptionTests
{
    private static readonly Uri Address = new("rabbitmq://localhost/worker-heartbeat");

    [Fact]
    public void Nothing_was_heard_before_the_endpoint_was_first_ready()
    {
        var clock = new ManualClock();
        var reception = new HeartbeatReception(clock, NullLogger<HeartbeatReception>.Instance);
        var start = clock.GetUtcNow();

        Assert.False(reception.HeardThroughout(start - TimeSpan.FromMinutes(1)));
        Assert.False(reception.HeardThroughout(start));
    }

    [Fact]
    public async Task Silence_counts_from_when_the_endpoint_is_ready()
    {
        var clock = new ManualClock();
        var reception = new HeartbeatReception(clock, NullLogger<HeartbeatReception>.Instance);
        var before = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromSeconds(1));
        await reception.Ready(new EndpointEvent(Address));
        var ready = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromSeconds(30));

        Assert.False(reception.HeardThroughout(before));
        Assert.True(reception.HeardThroughout(ready));
        Assert.True(reception.HeardThroughout(clock.GetUtcNow()));
    }

    [Fact]
    public async Task A_broker_outage_restarts_the_clock_when_the_endpoint_is_ready_again()
    {
        var clock = new ManualClock();
        var reception = new HeartbeatReception(clock, NullLogger<HeartbeatReception>.Instance);
        await reception.Ready(new EndpointEvent(Address));
        var first = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(5));

        await reception.Faulted(new EndpointEvent(Address));
        Assert.False(reception.HeardThroughout(first));
        clock.Advance(TimeSpan.FromSeconds(40));
        Assert.False(reception.HeardThroughout(first));

        await reception.Ready(new EndpointEvent(Address));
        var back = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromSeconds(10));

        // The minutes heard before the outage do not count: workers unheard since before it may only have lost the broker.
        Assert.False(reception.HeardThroughout(first));
        Assert.False(reception.HeardThroughout(back - TimeSpan.FromTicks(1)));
        Assert.True(reception.HeardThroughout(back));
    }

    [Fact]
    public async Task A_stopping_endpoint_hears_nothing()
    {
        var clock = new ManualClock();
        var reception = new HeartbeatReception(clock, NullLogger<HeartbeatReception>.Instance);
        await reception.Ready(new EndpointEvent(Address));
        clock.Advance(TimeSpan.FromMinutes(1));

        await reception.Stopping(new EndpointEvent(Address));

        Assert.False(reception.HeardThroughout(clock.GetUtcNow() - TimeSpan.FromSeconds(30)));
    }
}

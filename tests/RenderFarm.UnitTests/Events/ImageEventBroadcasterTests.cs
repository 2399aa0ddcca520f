using RenderFarm.Coordinator.Events;

namespace RenderFarm.UnitTests.Events;

public sealed class ImageEventBroadcasterTests
{
    private static ImageEvent Rendered(int index) => new(ImageEvent.Rendered, Guid.Empty, Guid.NewGuid(), index);

    [Fact]
    public void Every_listener_gets_every_event_and_a_gone_listener_gets_none()
    {
        var broadcaster = new ImageEventBroadcaster();
        using var first = broadcaster.Subscribe();
        var second = broadcaster.Subscribe();

        broadcaster.Publish(Rendered(0));
        second.Dispose();
        broadcaster.Publish(Rendered(1));

        Assert.Equal([0, 1], Drain(first).Select(e => e.Index));
        Assert.Equal([0], Drain(second).Select(e => e.Index));
        Assert.True(second.Reader.Completion.IsCompleted);
    }

    [Fact]
    public void A_listener_that_does_not_read_keeps_only_the_newest_events()
    {
        var broadcaster = new ImageEventBroadcaster();
        using var stalled = broadcaster.Subscribe();

        for (var i = 0; i < 5000; i++)
        {
            broadcaster.Publish(Rendered(i));
        }

        var kept = Drain(stalled);
        Assert.Equal(1024, kept.Count);
        Assert.Equal(4999, kept[^1].Index);
    }

    private static List<ImageEvent> Drain(ImageEventSubscription subscription)
    {
        var events = new List<ImageEvent>();
        while (subscription.Reader.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }
}

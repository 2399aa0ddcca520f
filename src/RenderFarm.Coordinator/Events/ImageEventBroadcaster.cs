using System.Collections.Immutable;
using System.Threading.Channels;

namespace RenderFarm.Coordinator.Events;

/// <summary>Fans image events out to every connected event stream of this replica.</summary>
public sealed class ImageEventBroadcaster
{
    // Bounded and dropping the oldest: a stalled browser must not grow this process's memory.
    private const int QueuedEventsPerListener = 1024;

    private readonly Lock _lock = new();
    private ImmutableArray<ImageEventSubscription> _subscriptions = [];

    public ImageEventSubscription Subscribe()
    {
        var channel = Channel.CreateBounded<ImageEvent>(new BoundedChannelOptions(QueuedEventsPerListener)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var subscription = new ImageEventSubscription(channel, Unsubscribe);
        lock (_lock)
        {
            _subscriptions = _subscriptions.Add(subscription);
        }

        return subscription;
    }

    public void Publish(ImageEvent imageEvent)
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Channel.Writer.TryWrite(imageEvent);
        }
    }

    private void Unsubscribe(ImageEventSubscription subscription)
    {
        lock (_lock)
        {
            _subscriptions = _subscriptions.Remove(subscription);
        }
    }
}

using System.Threading.Channels;

namespace RenderFarm.Coordinator.Events;

/// <summary>One listener's queue of events; disposing it unsubscribes.</summary>
public sealed class ImageEventSubscription(Channel<ImageEvent> channel, Action<ImageEventSubscription> unsubscribe) : IDisposable
{
    internal Channel<ImageEvent> Channel { get; } = channel;

    public ChannelReader<ImageEvent> Reader => Channel.Reader;

    public void Dispose()
    {
        unsubscribe(this);
        Channel.Writer.TryComplete();
    }
}

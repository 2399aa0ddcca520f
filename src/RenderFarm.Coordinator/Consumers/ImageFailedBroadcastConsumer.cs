using MassTransit;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Events;

namespace RenderFarm.Coordinator.Consumers;

/// <summary>Tells this replica's browsers that an image failed for good.</summary>
public sealed class ImageFailedBroadcastConsumer(ImageEventBroadcaster broadcaster) : IConsumer<ImageFailed>
{
    public Task Consume(ConsumeContext<ImageFailed> context)
    {
        var failed = context.Message;
        broadcaster.Publish(new ImageEvent(ImageEvent.Failed, failed.JobId, failed.ImageId, failed.Index, WorkerId: failed.WorkerId, Error: failed.Error));
        return Task.CompletedTask;
    }
}

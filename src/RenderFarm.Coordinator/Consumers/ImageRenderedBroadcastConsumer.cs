using MassTransit;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Events;
using RenderFarm.Coordinator.Jobs;

namespace RenderFarm.Coordinator.Consumers;

/// <summary>Tells this replica's browsers that an image is ready. Every replica gets every event (see the definition).</summary>
public sealed class ImageRenderedBroadcastConsumer(ImageEventBroadcaster broadcaster) : IConsumer<ImageRendered>
{
    public Task Consume(ConsumeContext<ImageRendered> context)
    {
        var rendered = context.Message;
        broadcaster.Publish(new ImageEvent(
            ImageEvent.Rendered, rendered.JobId, rendered.ImageId, rendered.Index, rendered.Seed,
            JobQueries.ImageContentPath(rendered.ImageId), JobQueries.ImageThumbnailPath(rendered.ImageId),
            rendered.RenderMilliseconds, rendered.WorkerId));
        return Task.CompletedTask;
    }
}

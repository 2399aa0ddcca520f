using MassTransit;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Events;
using RenderFarm.Coordinator.Jobs;

namespace RenderFarm.Coordinator.Consumers;

/// <summary>Tells this replica's browsers which images are ready or failed for good. Every replica gets every event (see the definition).</summary>
public sealed class ImagesRecordedBroadcastConsumer(ImageEventBroadcaster broadcaster) : IConsumer<ImagesRecorded>
{
    public Task Consume(ConsumeContext<ImagesRecorded> context)
    {
        foreach (var rendered in context.Message.Rendered)
        {
            broadcaster.Publish(new ImageEvent(
                ImageEvent.Rendered, rendered.JobId, rendered.ImageId, rendered.Index, rendered.Seed,
                JobQueries.ImageContentPath(rendered.ImageId), JobQueries.ImageThumbnailPath(rendered.ImageId),
                rendered.RenderMilliseconds, rendered.WorkerId));
        }

        foreach (var failed in context.Message.Failed)
        {
            broadcaster.Publish(new ImageEvent(ImageEvent.Failed, failed.JobId, failed.ImageId, failed.Index, WorkerId: failed.WorkerId, Error: failed.Error));
        }

        return Task.CompletedTask;
    }
}

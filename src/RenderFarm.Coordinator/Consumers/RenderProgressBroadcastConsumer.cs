using MassTransit;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Events;

namespace RenderFarm.Coordinator.Consumers;

/// <summary>Tells this replica's browsers how far the images in a worker's engine are (every replica hears every batch; see the definition).</summary>
public sealed class RenderProgressBroadcastConsumer(ImageEventBroadcaster broadcaster, JobStepProgress jobs) : IConsumer<RenderProgress>
{
    public Task Consume(ConsumeContext<RenderProgress> context)
    {
        var progress = context.Message;
        for (var i = 0; i < progress.ImageIds.Count; i++)
        {
            jobs.Record(progress.JobIds[i], progress.Step, progress.TotalSteps);
            broadcaster.Publish(new ImageEvent(
                ImageEvent.Progress, progress.JobIds[i], progress.ImageIds[i], progress.Indexes[i],
                WorkerId: progress.WorkerId, Step: progress.Step, TotalSteps: progress.TotalSteps));
        }

        return Task.CompletedTask;
    }
}

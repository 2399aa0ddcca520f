using MassTransit;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Dispatch;
using RenderFarm.Coordinator.Jobs;

namespace RenderFarm.Coordinator.Consumers;

/// <summary>An image that failed for good still counts towards its job's end.</summary>
public sealed class ImageFailedConsumer(JobFinalizer finalizer, DispatchSignal dispatch, ILogger<ImageFailedConsumer> logger) : IConsumer<ImageFailed>
{
    public async Task Consume(ConsumeContext<ImageFailed> context)
    {
        var failed = context.Message;
        logger.LogWarning("Image {ImageId} (#{Index}) of job {JobId} failed after {Attempts} attempts on {WorkerId}: {Error}",
            failed.ImageId, failed.Index, failed.JobId, failed.Attempts, failed.WorkerId, failed.Error);
        dispatch.Notify();
        await finalizer.TryFinishAsync(failed.JobId, context.CancellationToken);
    }
}

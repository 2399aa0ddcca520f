using MassTransit;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Dispatch;
using RenderFarm.Coordinator.Jobs;

namespace RenderFarm.Coordinator.Consumers;

/// <summary>A finished image frees a slot in its job's window and may finish the job.</summary>
public sealed class ImageRenderedConsumer(JobFinalizer finalizer, DispatchSignal dispatch) : IConsumer<ImageRendered>
{
    public async Task Consume(ConsumeContext<ImageRendered> context)
    {
        dispatch.Notify();
        await finalizer.TryFinishAsync(context.Message.JobId, context.CancellationToken);
    }
}

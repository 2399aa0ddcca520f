using MassTransit;
using RenderFarm.Contracts;
using RenderFarm.Worker.Rendering;

namespace RenderFarm.Worker.Consumers;

/// <summary>Remembers a cancelled job so that its images still on this worker are neither rendered nor uploaded.</summary>
public sealed class JobCancelledConsumer(SkippedWork skipped) : IConsumer<JobCancelled>
{
    public Task Consume(ConsumeContext<JobCancelled> context)
    {
        skipped.Add([context.Message.JobId]);
        return Task.CompletedTask;
    }
}

using MassTransit;
using RenderFarm.Contracts;
using RenderFarm.Worker.Rendering;

namespace RenderFarm.Worker.Consumers;

/// <summary>Remembers images the coordinator failed for good, so their messages are acknowledged without rendering.</summary>
public sealed class ImagesAbandonedConsumer(SkippedWork skipped) : IConsumer<ImagesAbandoned>
{
    public Task Consume(ConsumeContext<ImagesAbandoned> context)
    {
        skipped.Add(context.Message.ImageIds);
        return Task.CompletedTask;
    }
}

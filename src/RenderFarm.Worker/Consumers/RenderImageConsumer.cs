using MassTransit;
using RenderFarm.Contracts;
using RenderFarm.Worker.Rendering;

namespace RenderFarm.Worker.Consumers;

/// <summary>
/// Hands each image to the <see cref="RenderQueue"/> and holds its message until the image has been reported, so the
/// broker takes back whatever a dying worker held. Batching happens in the queue, when the engine is free.
/// </summary>
public sealed class RenderImageConsumer(RenderQueue queue, SkippedWork skipped, HeldImages held) : IConsumer<RenderImage>
{
    public async Task Consume(ConsumeContext<RenderImage> context)
    {
        if (skipped.Skips(context.Message))
        {
            return;
        }

        held.Add(context.Message.ImageId);
        var item = queue.Add(context.Message);
        try
        {
            await item.Completion.WaitAsync(context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            item.Abandon();
            throw;
        }
        finally
        {
            held.Remove(context.Message.ImageId);
        }
    }
}

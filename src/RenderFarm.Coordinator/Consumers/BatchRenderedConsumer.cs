using MassTransit;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Dispatch;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Infrastructure.Messaging;

namespace RenderFarm.Coordinator.Consumers;

/// <summary>
/// Records what workers report, several workers' batches at once: one set-based write for all their images, one
/// event for the browsers, and a finishing check only for the jobs those images belong to.
/// </summary>
public sealed class BatchRenderedConsumer(RenderResultRecorder recorder, DispatchSignal dispatch, BrokerSends sends) : IConsumer<Batch<BatchRendered>>
{
    public async Task Consume(ConsumeContext<Batch<BatchRendered>> context)
    {
        var reports = context.Message.Select(m => m.Message).ToList();
        var recorded = await recorder.RecordAsync(
            [.. reports.SelectMany(r => r.Rendered)],
            [.. reports.SelectMany(r => r.Failed)],
            context.CancellationToken);
        await recorder.ReturnAsync([.. reports.SelectMany(r => r.Returned)], context.CancellationToken);

        // Room on the bus for the next images, whatever was recorded: a refused duplicate also left its queue.
        dispatch.Notify();
        if (recorded.Rendered.Count > 0 || recorded.Failed.Count > 0)
        {
            await sends.WithinTimeoutAsync(ct => context.Publish(recorded, ct), context.CancellationToken);
        }
    }
}

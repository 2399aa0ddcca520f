using MassTransit;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Worker.Control;

namespace RenderFarm.Worker.Consumers;

/// <summary>The operator's drain and release, broadcast to every worker: this one acts on those naming it.</summary>
public sealed class WorkerControlConsumer(ConsumptionControl control, IOptions<WorkerOptions> options) : IConsumer<DrainWorker>, IConsumer<ReleaseWorker>
{
    public Task Consume(ConsumeContext<DrainWorker> context)
    {
        if (context.Message.WorkerId == options.Value.Id)
        {
            // Not awaited: the drain completes when every image held is reported, long after this message.
            _ = control.DrainAsync("drained by an operator");
        }

        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ReleaseWorker> context) =>
        context.Message.WorkerId == options.Value.Id ? control.ReleaseAsync() : Task.CompletedTask;
}

using MassTransit;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Workers;

namespace RenderFarm.Coordinator.Consumers;

public sealed class WorkerHeartbeatConsumer(WorkerRegistry registry) : IConsumer<WorkerHeartbeat>
{
    public Task Consume(ConsumeContext<WorkerHeartbeat> context) => registry.RecordAsync(context.Message, context.CancellationToken);
}

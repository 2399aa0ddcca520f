using MassTransit;
using RenderFarm.Coordinator.Workers;

namespace RenderFarm.Coordinator.Consumers;

public sealed class WorkerHeartbeatConsumerDefinition : ConsumerDefinition<WorkerHeartbeatConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<WorkerHeartbeatConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // One at a time: heartbeats are tiny, and serial upserts of the same worker never race.
        endpointConfigurator.ConcurrentMessageLimit = 1;
        endpointConfigurator.UseMessageRetry(r => r.Immediate(2));
        endpointConfigurator.ConnectReceiveEndpointObserver(context.GetRequiredService<HeartbeatReception>());
    }
}

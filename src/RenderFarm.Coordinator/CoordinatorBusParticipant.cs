using MassTransit;
using RenderFarm.Coordinator.Consumers;
using RenderFarm.Infrastructure.Messaging;

namespace RenderFarm.Coordinator;

/// <summary>The coordinator listens to what workers report: finished and failed images, heartbeats.</summary>
public sealed class CoordinatorBusParticipant : IBusParticipant
{
    public void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ImageRenderedConsumer, ImageRenderedConsumerDefinition>();
        bus.AddConsumer<ImageFailedConsumer, ImageFailedConsumerDefinition>();
        bus.AddConsumer<WorkerHeartbeatConsumer, WorkerHeartbeatConsumerDefinition>();

        // Fan-out to this replica's browsers, each on a temporary queue of its own (see the definitions).
        bus.AddConsumer<ImageRenderedBroadcastConsumer, ImageRenderedBroadcastConsumerDefinition>();
        bus.AddConsumer<ImageFailedBroadcastConsumer, ImageFailedBroadcastConsumerDefinition>();
    }

    public void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus)
    {
    }
}

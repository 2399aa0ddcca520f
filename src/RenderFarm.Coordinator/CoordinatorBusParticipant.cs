using MassTransit;
using RenderFarm.Coordinator.Consumers;
using RenderFarm.Infrastructure.Messaging;

namespace RenderFarm.Coordinator;

/// <summary>The coordinator listens to what workers report: finished batches, heartbeats.</summary>
public sealed class CoordinatorBusParticipant : IBusParticipant
{
    public void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<BatchRenderedConsumer, BatchRenderedConsumerDefinition>();
        bus.AddConsumer<WorkerHeartbeatConsumer, WorkerHeartbeatConsumerDefinition>();

        // Fan-out to this replica's browsers, on a temporary queue of its own (see the definition).
        bus.AddConsumer<ImagesRecordedBroadcastConsumer, ImagesRecordedBroadcastConsumerDefinition>();
        bus.AddConsumer<RenderProgressBroadcastConsumer, RenderProgressBroadcastConsumerDefinition>();
    }

    public void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus)
    {
    }
}

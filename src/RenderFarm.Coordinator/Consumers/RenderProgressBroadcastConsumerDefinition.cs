using MassTransit;
using RenderFarm.Coordinator.Events;

namespace RenderFarm.Coordinator.Consumers;

/// <remarks>A temporary queue of this replica's own, as for recorded images: progress nobody is watching is dropped.</remarks>
public sealed class RenderProgressBroadcastConsumerDefinition : ConsumerDefinition<RenderProgressBroadcastConsumer>
{
    public RenderProgressBroadcastConsumerDefinition(ReplicaIdentity replica) =>
        Endpoint(endpoint =>
        {
            endpoint.Name = "render-progress-broadcast";
            endpoint.InstanceId = replica.Id;
            endpoint.Temporary = true;
        });
}

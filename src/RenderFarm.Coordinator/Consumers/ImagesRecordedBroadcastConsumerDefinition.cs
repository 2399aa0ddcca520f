using MassTransit;
using RenderFarm.Coordinator.Events;

namespace RenderFarm.Coordinator.Consumers;

/// <remarks>
/// A queue of this replica's own, deleted when it goes: results are recorded on one replica only, but browsers may be
/// connected to any of them. Events missed while no replica process runs are of no use to anyone, so the queue is
/// not durable.
/// </remarks>
public sealed class ImagesRecordedBroadcastConsumerDefinition : ConsumerDefinition<ImagesRecordedBroadcastConsumer>
{
    public ImagesRecordedBroadcastConsumerDefinition(ReplicaIdentity replica) =>
        Endpoint(endpoint =>
        {
            endpoint.Name = "images-recorded-broadcast";
            endpoint.InstanceId = replica.Id;
            endpoint.Temporary = true;
        });
}

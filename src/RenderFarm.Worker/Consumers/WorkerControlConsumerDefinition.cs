using MassTransit;
using Microsoft.Extensions.Options;

namespace RenderFarm.Worker.Consumers;

/// <remarks>A queue of its own per worker, deleted when it goes, as for cancellations: drain and release are for live workers.</remarks>
public sealed class WorkerControlConsumerDefinition : ConsumerDefinition<WorkerControlConsumer>
{
    public WorkerControlConsumerDefinition(IOptions<WorkerOptions> options) =>
        Endpoint(endpoint =>
        {
            endpoint.Name = "worker-control";
            endpoint.InstanceId = options.Value.Id;
            endpoint.Temporary = true;
        });
}

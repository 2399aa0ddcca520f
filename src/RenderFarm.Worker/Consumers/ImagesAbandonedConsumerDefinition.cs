using MassTransit;
using Microsoft.Extensions.Options;

namespace RenderFarm.Worker.Consumers;

/// <remarks>Every worker must hear it, so each has a queue of its own, deleted when it goes (as for cancellations).</remarks>
public sealed class ImagesAbandonedConsumerDefinition : ConsumerDefinition<ImagesAbandonedConsumer>
{
    public ImagesAbandonedConsumerDefinition(IOptions<WorkerOptions> options) =>
        Endpoint(endpoint =>
        {
            endpoint.Name = "images-abandoned";
            endpoint.InstanceId = options.Value.Id;
            endpoint.Temporary = true;
        });
}

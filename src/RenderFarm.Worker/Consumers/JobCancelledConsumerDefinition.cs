using MassTransit;
using Microsoft.Extensions.Options;

namespace RenderFarm.Worker.Consumers;

/// <remarks>
/// Every worker must hear every cancellation, so each has a queue of its own, deleted when it goes: a worker that
/// starts later gets only fresh messages, and the coordinator refuses results for cancelled images anyway.
/// </remarks>
public sealed class JobCancelledConsumerDefinition : ConsumerDefinition<JobCancelledConsumer>
{
    public JobCancelledConsumerDefinition(IOptions<WorkerOptions> options) =>
        Endpoint(endpoint =>
        {
            endpoint.Name = "job-cancelled";
            endpoint.InstanceId = options.Value.Id;
            endpoint.Temporary = true;
        });
}

using MassTransit;
using Microsoft.Extensions.Options;

namespace RenderFarm.Worker.Consumers;

/// <summary>
/// A message every worker must hear (a cancellation, a drain, an abandoned image): each worker has a queue of its own
/// for it, deleted when the worker goes, so a worker that starts later gets only fresh messages.
/// </summary>
public abstract class WorkerBroadcastConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected WorkerBroadcastConsumerDefinition(string name, IOptions<WorkerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Endpoint(endpoint =>
        {
            endpoint.Name = name;
            endpoint.InstanceId = options.Value.Id;
            endpoint.Temporary = true;
        });
    }
}

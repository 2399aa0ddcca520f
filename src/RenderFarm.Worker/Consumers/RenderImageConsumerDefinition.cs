using MassTransit;
using Microsoft.Extensions.Options;

namespace RenderFarm.Worker.Consumers;

public sealed class RenderImageConsumerDefinition(IOptions<WorkerOptions> options) : ConsumerDefinition<RenderImageConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RenderImageConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // Every prefetched message waits in the render queue, so the prefetch is how much a worker holds.
        var prefetch = options.Value.EffectivePrefetchCount;
        endpointConfigurator.PrefetchCount = prefetch;
        endpointConfigurator.ConcurrentMessageLimit = prefetch;
    }
}

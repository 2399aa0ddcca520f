using MassTransit;

namespace RenderFarm.Coordinator.Consumers;

public sealed class BatchRenderedConsumerDefinition : ConsumerDefinition<BatchRenderedConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<BatchRenderedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // Reports that arrive together are recorded together; a lone report waits at most the time limit.
        endpointConfigurator.PrefetchCount = 128;
        endpointConfigurator.ConcurrentMessageLimit = 128;
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(64)
            .SetTimeLimit(TimeSpan.FromMilliseconds(5))
            .SetConcurrencyLimit(2));
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 2000, 5000));
    }
}

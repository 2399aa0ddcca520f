using MassTransit;

namespace RenderFarm.Coordinator.Consumers;

public sealed class BatchRenderedConsumerDefinition : ConsumerDefinition<BatchRenderedConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<BatchRenderedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // Reports that arrive together are recorded together; a lone report waits at most the time limit. Recording
        // costs a few statements per call whatever the images, so a longer limit lets each call take more under load
        // (20 ms rather than 5: farm CPU per image 2.5 → 2.2 ms) but delays every result, and a small job's finish
        // with it: 10 ms.
        endpointConfigurator.PrefetchCount = 128;
        endpointConfigurator.ConcurrentMessageLimit = 128;
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(64)
            .SetTimeLimit(TimeSpan.FromMilliseconds(10))
            .SetConcurrencyLimit(2));
        // A database outage costs time, not images: keep the reports (unacknowledged) and retry for about five minutes
        // rather than moving them to an error queue nobody reads while their images stay dispatched. The wait is capped
        // at 3 s so results are recorded within seconds of the database's return, not after a half-minute sleep.
        endpointConfigurator.UseMessageRetry(r => r.Exponential(100, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(500)));
    }
}

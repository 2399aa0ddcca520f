using MassTransit;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;

namespace RenderFarm.Worker.Consumers;

public sealed class RenderImageConsumerDefinition(IOptions<WorkerOptions> options) : ConsumerDefinition<RenderImageConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RenderImageConsumer> consumerConfigurator, IRegistrationContext context)
    {
        var worker = options.Value;

        // Enough prefetched messages to fill every concurrent batch, or batches would always wait out the time limit.
        endpointConfigurator.PrefetchCount = worker.EffectivePrefetchCount;
        endpointConfigurator.ConcurrentMessageLimit = worker.EffectivePrefetchCount;
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(worker.BatchSize)
            .SetTimeLimit(worker.BatchTimeLimit)
            .SetConcurrencyLimit(worker.ConcurrentBatches)
            .GroupBy<RenderImage, string>(c => RenderImageBatchKey.Of(c.Message)));
    }
}

using MassTransit;

namespace RenderFarm.Coordinator.Consumers;

public sealed class ImageRenderedConsumerDefinition : ConsumerDefinition<ImageRenderedConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ImageRenderedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 2000));
    }
}

using MassTransit;

namespace RenderFarm.Coordinator.Consumers;

public sealed class ImageFailedConsumerDefinition : ConsumerDefinition<ImageFailedConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ImageFailedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Intervals(100, 500, 2000));
    }
}

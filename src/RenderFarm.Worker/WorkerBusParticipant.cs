using MassTransit;
using RenderFarm.Core.Generation;
using RenderFarm.Infrastructure.Messaging;
using RenderFarm.Worker.Consumers;

namespace RenderFarm.Worker;

/// <summary>The worker listens on the queue of each model its engine has, and on no other; and hears cancellations.</summary>
public sealed class WorkerBusParticipant : IBusParticipant
{
    public void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<RenderImageConsumer, RenderImageConsumerDefinition>().ExcludeFromConfigureEndpoints();
        bus.AddConsumer<JobCancelledConsumer, JobCancelledConsumerDefinition>();
    }

    public void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus)
    {
        foreach (var model in context.GetRequiredService<IImageGenerator>().Models)
        {
            bus.ReceiveEndpoint(RenderQueues.NameFor(model), endpoint => endpoint.ConfigureConsumer<RenderImageConsumer>(context));
        }
    }
}

using MassTransit;
using Microsoft.Extensions.Options;
using RenderFarm.Core.Generation;
using RenderFarm.Infrastructure.Messaging;
using RenderFarm.Worker.Consumers;
using RenderFarm.Worker.Models;

namespace RenderFarm.Worker;

/// <summary>
/// The worker listens on the queue of each model its engine has, and on no other; on its own queue (jobs that require
/// labels are addressed to the workers that have them); and hears cancellations and the operator's drain and release.
/// </summary>
public sealed class WorkerBusParticipant : IBusParticipant
{
    public void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<RenderImageConsumer, RenderImageConsumerDefinition>().ExcludeFromConfigureEndpoints();
        bus.AddConsumer<JobCancelledConsumer, JobCancelledConsumerDefinition>();
        bus.AddConsumer<ImagesAbandonedConsumer, ImagesAbandonedConsumerDefinition>();
        bus.AddConsumer<WorkerControlConsumer, WorkerControlConsumerDefinition>();
    }

    public void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus)
    {
        var endpoints = context.GetRequiredService<RenderEndpoints>();
        foreach (var model in context.GetRequiredService<IImageGenerator>().Models)
        {
            endpoints.Add(model);
            bus.ReceiveEndpoint(RenderQueues.NameFor(model), endpoint => endpoints.Configure(endpoint, context));
        }

        var workerId = context.GetRequiredService<IOptions<WorkerOptions>>().Value.Id;
        // Durable like the model queues (the dispatcher's send declares it the same way): what a worker that dies held
        // is put back by the stuck-image reaper, and results are recorded once whoever reports them.
        bus.ReceiveEndpoint(RenderQueues.NameForWorker(workerId), endpoint => endpoints.Configure(endpoint, context));
    }
}

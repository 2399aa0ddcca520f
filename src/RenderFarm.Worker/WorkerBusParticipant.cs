using MassTransit;
using Microsoft.Extensions.Options;
using RenderFarm.Core.Generation;
using RenderFarm.Infrastructure.Messaging;
using RenderFarm.Worker.Consumers;
using RenderFarm.Worker.Models;

namespace RenderFarm.Worker;

/// <summary>
/// The worker listens on the queue of each model its engine has, and on no other; on its own queue (jobs that require
/// labels are addressed to the workers that have them); and hears cancellations.
/// </summary>
public sealed class WorkerBusParticipant : IBusParticipant
{
    /// <summary>A worker gone for good leaves its own queue behind; RabbitMQ removes it after this long without a consumer.</summary>
    private static readonly TimeSpan UnusedWorkerQueueExpiry = TimeSpan.FromHours(1);

    public void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<RenderImageConsumer, RenderImageConsumerDefinition>().ExcludeFromConfigureEndpoints();
        bus.AddConsumer<JobCancelledConsumer, JobCancelledConsumerDefinition>();
    }

    public void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus)
    {
        var endpoints = context.GetRequiredService<RenderEndpoints>();
        foreach (var model in context.GetRequiredService<IImageGenerator>().Models)
        {
            endpoints.Add(model);
            bus.ReceiveEndpoint(RenderQueues.NameFor(model), endpoint => endpoint.ConfigureConsumer<RenderImageConsumer>(context));
        }

        var workerId = context.GetRequiredService<IOptions<WorkerOptions>>().Value.Id;
        bus.ReceiveEndpoint(RenderQueues.NameForWorker(workerId), endpoint =>
        {
            if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.SetQueueArgument("x-expires", (long)UnusedWorkerQueueExpiry.TotalMilliseconds);
            }

            endpoint.ConfigureConsumer<RenderImageConsumer>(context);
        });
    }
}

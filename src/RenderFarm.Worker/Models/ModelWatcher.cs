using MassTransit;
using Microsoft.Extensions.Options;
using RenderFarm.Core.Generation;
using RenderFarm.Infrastructure.Hosting;
using RenderFarm.Infrastructure.Messaging;

namespace RenderFarm.Worker.Models;

/// <summary>
/// Asks the engine to look for new model folders every <see cref="WorkerOptions.ModelScanInterval"/> and starts
/// listening on the queue of each model it gains, so adding a model to a running worker is copying its folder into
/// the models root; the next heartbeat advertises it. A model whose folder went away is no longer advertised, so
/// the dispatcher stops counting this worker for it; its queue stays connected (a batch sent meanwhile fails and is
/// retried elsewhere).
/// </summary>
public sealed class ModelWatcher(
    IImageGenerator generator,
    IReceiveEndpointConnector connector,
    RenderEndpoints endpoints,
    IOptions<WorkerOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<ModelWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ModelScanInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await lifetime.WaitForStartAsync(stoppingToken);
            using var timer = new PeriodicTimer(interval, clock);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ScanAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ScanAsync(CancellationToken stoppingToken)
    {
        try
        {
            generator.Rescan();
            foreach (var model in generator.Models.Where(m => !endpoints.Contains(m)).ToList())
            {
                var handle = connector.ConnectReceiveEndpoint(RenderQueues.NameFor(model), (context, endpoint) => endpoints.Configure(endpoint, context));
                await handle.Ready.WaitAsync(stoppingToken);
                endpoints.Add(model);
                logger.LogInformation("Model {Model} found; now listening on {Queue}", model, RenderQueues.NameFor(model));
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Looking for new models failed; trying again in {Interval}", options.Value.ModelScanInterval);
        }
    }
}

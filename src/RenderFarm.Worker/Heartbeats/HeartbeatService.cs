using MassTransit;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Workers;
using RenderFarm.Infrastructure.Hosting;
using RenderFarm.Worker.Rendering;

namespace RenderFarm.Worker.Heartbeats;

/// <summary>Tells the coordinator this worker is alive, what it can render and how much it has done.</summary>
public sealed class HeartbeatService(
    IBus bus,
    IImageGenerator generator,
    RenderStatistics statistics,
    IOptions<WorkerOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var worker = options.Value;
        try
        {
            await lifetime.WaitForStartAsync(stoppingToken);
            var device = DeviceDescription.Of(generator.Device, worker.DeviceMemoryBytes);
            var labels = WorkerLabels.Normalize(worker.Labels.Append(device.DeviceClass));
            using var timer = new PeriodicTimer(worker.HeartbeatInterval, clock);
            do
            {
                await SendAsync(worker, device, labels, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(WorkerOptions worker, DeviceDescription device, List<string> labels, CancellationToken stoppingToken)
    {
        try
        {
            await bus.Publish(
                new WorkerHeartbeat
                {
                    WorkerId = worker.Id,
                    Host = Environment.MachineName,
                    Device = generator.Device,
                    Models = [.. generator.Models],
                    Catalog = generator.Catalog,
                    DeviceClass = device.DeviceClass,
                    DeviceMemoryBytes = device.MemoryBytes,
                    Labels = labels,
                    BatchSize = worker.BatchSize,
                    ImagesRendered = statistics.ImagesRendered,
                    EngineMillisecondsPerImage = statistics.EngineMillisecondsPerImage,
                    StartedAt = statistics.StartedAt,
                    SentAt = clock.GetUtcNow(),
                },
                stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Heartbeat of worker {WorkerId} could not be sent", worker.Id);
        }
    }
}

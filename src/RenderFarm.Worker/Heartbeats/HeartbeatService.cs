using MassTransit;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Workers;
using RenderFarm.Infrastructure.Hosting;
using RenderFarm.Infrastructure.Messaging;
using RenderFarm.Worker.Control;
using RenderFarm.Worker.Models;
using RenderFarm.Worker.Rendering;

namespace RenderFarm.Worker.Heartbeats;

/// <summary>
/// Tells the coordinator this worker is alive, what it can render, how much it has done and whether it takes work: at
/// once when that changes, so a drained or quarantined worker's capacity is not counted for a heartbeat interval more,
/// and when its engine's pace is first measured.
/// On SIGTERM it says <c>draining</c> before the bus stops (which finishes what the worker holds), so the process
/// stops gracefully: nothing new taken, the batches in hand finished and reported, the rest handed back.
/// </summary>
public sealed class HeartbeatService(
    IBus bus,
    BrokerSends sends,
    IImageGenerator generator,
    RenderStatistics statistics,
    HeldImages held,
    RenderEndpoints endpoints,
    ConsumptionControl control,
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
            using var changed = new SemaphoreSlim(0);
            void Wake() => changed.Release();
            control.Changed += Wake;
            // The coordinator keeps a worker's queue short until it knows the engine's pace (a fresh worker's first
            // job would otherwise trickle for a heartbeat interval): say it as soon as it is measured.
            statistics.FirstEngineCall += Wake;
            try
            {
                using var stopping = lifetime.ApplicationStopping.Register(() =>
                {
                    control.BeginShutdown();

                    // Synchronously, within a bound: the bus stops right after this callback.
                    if (!SendAsync(worker, device, labels, CancellationToken.None).Wait(TimeSpan.FromSeconds(5), CancellationToken.None))
                    {
                        logger.LogWarning("Worker {WorkerId} could not say it is stopping", worker.Id);
                    }
                });
                using var timer = new PeriodicTimer(worker.HeartbeatInterval, clock);
                var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                var change = changed.WaitAsync(stoppingToken);
                while (true)
                {
                    await SendAsync(worker, device, labels, stoppingToken);
                    if (await Task.WhenAny(tick, change) == tick)
                    {
                        if (!await tick)
                        {
                            break;
                        }

                        tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                    }
                    else
                    {
                        change = changed.WaitAsync(stoppingToken);
                    }

                    // Stopping changes the state, but the stopping callback has said so: a second heartbeat now would
                    // race the bus's stop (and be cancelled by it, which MassTransit logs as a fault).
                    if (lifetime.ApplicationStopping.IsCancellationRequested)
                    {
                        break;
                    }
                }
            }
            finally
            {
                control.Changed -= Wake;
                statistics.FirstEngineCall -= Wake;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(WorkerOptions worker, DeviceDescription device, List<string> labels, CancellationToken stoppingToken)
    {
        try
        {
            var heartbeat = new WorkerHeartbeat
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
                EngineSlots = worker.GpuSlots,
                State = control.State,
                StateReason = control.Reason,
                Holding = held.Snapshot(),
                // No room to speak of while a queue is cut off: its messages wait on the broker, not lost.
                HoldingCapacity = endpoints.Connected ? worker.EffectivePrefetchCount : 0,
                StartedAt = statistics.StartedAt,
                SentAt = clock.GetUtcNow(),
            };
            await sends.WithinTimeoutAsync(ct => bus.Publish(heartbeat, ct), stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Heartbeat of worker {WorkerId} could not be sent", worker.Id);
        }
    }
}

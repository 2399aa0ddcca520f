using Microsoft.Extensions.Options;

namespace RenderFarm.Worker.Consumers;

/// <remarks>Drain and release are for live workers: one that starts later has nothing to hear.</remarks>
public sealed class WorkerControlConsumerDefinition(IOptions<WorkerOptions> options)
    : WorkerBroadcastConsumerDefinition<WorkerControlConsumer>("worker-control", options);

using Microsoft.Extensions.Options;

namespace RenderFarm.Worker.Consumers;

/// <remarks>The coordinator refuses results for cancelled images anyway, so a worker that starts later loses nothing by missing earlier cancellations.</remarks>
public sealed class JobCancelledConsumerDefinition(IOptions<WorkerOptions> options)
    : WorkerBroadcastConsumerDefinition<JobCancelledConsumer>("job-cancelled", options);

using Microsoft.Extensions.Options;

namespace RenderFarm.Worker.Consumers;

public sealed class ImagesAbandonedConsumerDefinition(IOptions<WorkerOptions> options)
    : WorkerBroadcastConsumerDefinition<ImagesAbandonedConsumer>("images-abandoned", options);

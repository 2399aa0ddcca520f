using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Imaging;
using RenderFarm.Core.Storage;
using RenderFarm.Worker.Rendering;

namespace RenderFarm.Worker.Consumers;

/// <summary>
/// Renders a batch of compatible images in one engine call, then encodes, stores and records each. The engine is
/// held only for inference: while this batch is encoded and uploaded the next one already runs (see <see cref="GpuSlots"/>).
/// </summary>
public sealed class RenderImageConsumer(
    IImageGenerator generator,
    IImageEncoder encoder,
    IImageStore store,
    ImageRecorder recorder,
    GpuSlots gpu,
    RenderStatistics statistics,
    IOptions<WorkerOptions> options,
    ILogger<RenderImageConsumer> logger) : IConsumer<Batch<RenderImage>>
{
    public async Task Consume(ConsumeContext<Batch<RenderImage>> context)
    {
        var messages = context.Message.Select(m => m.Message).DistinctBy(m => m.ImageId).ToList();
        var open = await recorder.SelectOpenAsync(messages, context.CancellationToken);
        if (open.Count < messages.Count)
        {
            logger.LogInformation("Skipping {Count} images already finished or cancelled", messages.Count - open.Count);
        }

        // The batch options group by this key already; regrouping keeps the engine safe from any mixed batch.
        foreach (var group in open.GroupBy(RenderImageBatchKey.Of))
        {
            await RenderAsync(context, group.ToList());
        }
    }

    private async Task RenderAsync(ConsumeContext context, List<RenderImage> images)
    {
        var first = images[0];
        var batch = new GenerationBatch(
            first.Model, first.Width, first.Height, first.Steps, first.Guidance,
            images.Select(m => new GenerationItem(m.Prompt, m.NegativePrompt, m.Seed)).ToList());

        GenerationResult result;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using (await gpu.AcquireAsync(context.CancellationToken))
            {
                result = await generator.GenerateAsync(batch, progress: null, context.CancellationToken);
            }
        }
        catch (Exception e) when (!context.CancellationToken.IsCancellationRequested)
        {
            if (images.Count > 1)
            {
                // One bad image must not fail its neighbours: try each alone, so only the culprit is charged.
                logger.LogWarning(e, "Batch of {Count} failed; rendering its images one by one", images.Count);
                foreach (var image in images)
                {
                    await RenderAsync(context, [image]);
                }
            }
            else
            {
                await FailAsync(context, first, e);
            }

            return;
        }

        var perImageMilliseconds = stopwatch.ElapsedMilliseconds / images.Count;
        for (var i = 0; i < images.Count; i++)
        {
            try
            {
                await StoreAsync(context, images[i], result.Images[i], result.Sampler, perImageMilliseconds);
            }
            catch (Exception e) when (!context.CancellationToken.IsCancellationRequested)
            {
                await FailAsync(context, images[i], e);
            }
        }
    }

    private async Task StoreAsync(ConsumeContext context, RenderImage message, GeneratedImage image, string sampler, long renderMilliseconds)
    {
        if (!ImageFormats.TryParse(message.Format, out var format))
        {
            throw new InvalidOperationException($"Unknown image format '{message.Format}'.");
        }

        var parameters = new GenerationParameters(
            message.Prompt, message.NegativePrompt, message.Steps, sampler, message.Guidance, message.Seed, message.Width, message.Height, message.Model);
        var encoded = encoder.Encode(image, format, parameters);
        var key = ImageFormats.ObjectKey(message.JobId, message.Index, format);
        await store.PutAsync(key, encoded, format.ContentType(), context.CancellationToken);

        if (await recorder.RecordRenderedAsync(message, key, format.ContentType(), encoded.Length, renderMilliseconds, context.CancellationToken))
        {
            statistics.AddRendered();
            await context.Publish(
                new ImageRendered
                {
                    JobId = message.JobId,
                    ImageId = message.ImageId,
                    Index = message.Index,
                    ObjectKey = key,
                    Seed = message.Seed,
                    Bytes = encoded.Length,
                    RenderMilliseconds = renderMilliseconds,
                    WorkerId = options.Value.Id,
                },
                context.CancellationToken);
            logger.LogDebug("Image {ImageId} (#{Index}) of job {JobId} stored as {ObjectKey}", message.ImageId, message.Index, message.JobId, key);
        }
    }

    private async Task FailAsync(ConsumeContext context, RenderImage message, Exception error)
    {
        logger.LogWarning(error, "Image {ImageId} (#{Index}) of job {JobId} failed on attempt {Attempt}", message.ImageId, message.Index, message.JobId, message.Attempt);
        var finalAttempts = await recorder.RecordFailureAsync(message, error.Message, context.CancellationToken);
        if (finalAttempts is { } attempts)
        {
            await context.Publish(
                new ImageFailed
                {
                    JobId = message.JobId,
                    ImageId = message.ImageId,
                    Index = message.Index,
                    Error = error.Message,
                    Attempts = attempts,
                    WorkerId = options.Value.Id,
                },
                context.CancellationToken);
        }
    }
}

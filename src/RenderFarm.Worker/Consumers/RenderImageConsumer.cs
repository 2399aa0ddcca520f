using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Imaging;
using RenderFarm.Worker.Rendering;

namespace RenderFarm.Worker.Consumers;

/// <summary>
/// Renders a batch of compatible images in one engine call, encodes and uploads them all at once, and reports the
/// whole batch in one <see cref="BatchRendered"/>. The engine is held only for inference: while this batch is encoded
/// and uploaded the next one already runs (see <see cref="GpuSlots"/>).
/// </summary>
public sealed class RenderImageConsumer(
    IImageGenerator generator,
    IImageEncoder encoder,
    ImageUploader uploader,
    GpuSlots gpu,
    RenderStatistics statistics,
    CancelledJobs cancelled,
    IOptions<WorkerOptions> options,
    ILogger<RenderImageConsumer> logger) : IConsumer<Batch<RenderImage>>
{
    public async Task Consume(ConsumeContext<Batch<RenderImage>> context)
    {
        var messages = context.Message.Select(m => m.Message).DistinctBy(m => m.ImageId).ToList();
        var open = messages.Where(m => !cancelled.Contains(m.JobId)).ToList();
        if (open.Count < messages.Count)
        {
            logger.LogInformation("Skipping {Count} images of cancelled jobs", messages.Count - open.Count);
        }

        var report = new Report();
        // The batch options group by this key already; regrouping keeps the engine safe from any mixed batch.
        foreach (var group in open.GroupBy(RenderImageBatchKey.Of))
        {
            await RenderAsync(group.ToList(), report, context.CancellationToken);
        }

        if (report.Rendered.IsEmpty && report.Failed.IsEmpty)
        {
            return;
        }

        // If this publish fails the whole batch is redelivered and rendered again: uploads go to fixed keys and the
        // coordinator records each image once, so that costs time, never an image.
        await context.Publish(
            new BatchRendered { WorkerId = options.Value.Id, Rendered = [.. report.Rendered], Failed = [.. report.Failed] },
            context.CancellationToken);
        statistics.AddRendered(report.Rendered.Count);
    }

    private async Task RenderAsync(List<RenderImage> images, Report report, CancellationToken cancellationToken)
    {
        var first = images[0];
        var batch = new GenerationBatch(
            first.Model, first.Width, first.Height, first.Steps, first.Guidance,
            images.Select(m => new GenerationItem(m.Prompt, m.NegativePrompt, m.Seed)).ToList());

        GenerationResult result;
        TimeSpan engineTime;
        try
        {
            using (await gpu.AcquireAsync(cancellationToken))
            {
                // Only the engine call is the image's cost: not the wait for the GPU slot before it.
                var stopwatch = Stopwatch.StartNew();
                result = await generator.GenerateAsync(batch, progress: null, cancellationToken);
                engineTime = stopwatch.Elapsed;
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (images.Count > 1)
            {
                // One bad image must not fail its neighbours: try each alone, so only the culprit is charged.
                logger.LogWarning(e, "Batch of {Count} failed; rendering its images one by one", images.Count);
                foreach (var image in images)
                {
                    await RenderAsync([image], report, cancellationToken);
                }
            }
            else
            {
                report.Fail(first, e, options.Value.Id, logger);
            }

            return;
        }

        statistics.AddEngineCall(images.Count, engineTime);
        var milliseconds = (long)Math.Round(engineTime.TotalMilliseconds / images.Count);
        await Task.WhenAll(images.Select((image, i) => Task.Run(
            async () =>
            {
                try
                {
                    if (!cancelled.Contains(image.JobId))
                    {
                        report.Rendered.Add(await StoreAsync(image, result.Images[i], result.Sampler, milliseconds, cancellationToken));
                    }
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    report.Fail(image, e, options.Value.Id, logger);
                }
            },
            cancellationToken)));
    }

    private async Task<ImageRendered> StoreAsync(RenderImage message, GeneratedImage image, string sampler, long renderMilliseconds, CancellationToken cancellationToken)
    {
        if (!ImageFormats.TryParse(message.Format, out var format))
        {
            throw new InvalidOperationException($"Unknown image format '{message.Format}'.");
        }

        var parameters = new GenerationParameters(
            message.Prompt, message.NegativePrompt, message.Steps, sampler, message.Guidance, message.Seed, message.Width, message.Height, message.Model);
        var encoded = encoder.Encode(image, format, parameters);
        await uploader.UploadAsync(message, encoded, format.ContentType(), cancellationToken);
        return new ImageRendered
        {
            JobId = message.JobId,
            ImageId = message.ImageId,
            Index = message.Index,
            ObjectKey = message.ObjectKey,
            ContentType = format.ContentType(),
            Seed = message.Seed,
            Bytes = encoded.Length,
            RenderMilliseconds = renderMilliseconds,
            WorkerId = options.Value.Id,
        };
    }

    /// <summary>What one consumed batch produced, filled from the concurrent uploads.</summary>
    private sealed class Report
    {
        public ConcurrentBag<ImageRendered> Rendered { get; } = [];

        public ConcurrentBag<ImageFailed> Failed { get; } = [];

        public void Fail(RenderImage message, Exception error, string workerId, ILogger logger)
        {
            logger.LogWarning(error, "Image {ImageId} (#{Index}) of job {JobId} failed on attempt {Attempt}", message.ImageId, message.Index, message.JobId, message.Attempt);
            Failed.Add(new ImageFailed
            {
                JobId = message.JobId,
                ImageId = message.ImageId,
                Index = message.Index,
                Error = error.Message,
                Attempts = message.Attempt,
                WorkerId = workerId,
            });
        }
    }
}

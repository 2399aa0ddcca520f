using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Imaging;
using RenderFarm.Core.Telemetry;
using RenderFarm.Infrastructure.Messaging;
using RenderFarm.Worker.Consumers;
using RenderFarm.Worker.Control;

namespace RenderFarm.Worker.Rendering;

/// <summary>
/// Drives the engine: takes the next batch from the <see cref="RenderQueue"/> whenever a GPU slot is free, renders
/// it, and leaves encoding, uploads and the report to a task of its own, so the engine starts on the next batch at
/// once. At most <see cref="WorkerOptions.ConcurrentBatches"/> batches are in progress (engine or after), which bounds
/// memory when uploads are slower than the engine.
/// </summary>
public sealed class RenderLoop(
    RenderQueue queue,
    IImageGenerator generator,
    IImageEncoder encoder,
    ImageUploader uploader,
    IBus bus,
    BrokerSends sends,
    RenderStatistics statistics,
    EngineBatchTimes engineTimes,
    EngineBusyWindow engineBusy,
    SkippedWork skipped,
    StoreOutageGate storeOutage,
    ConsumptionControl control,
    IOptions<WorkerOptions> options,
    TimeProvider clock,
    ILogger<RenderLoop> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var worker = options.Value;
        var inProgress = new SemaphoreSlim(worker.ConcurrentBatches);
        return Task.WhenAll(Enumerable.Range(0, worker.GpuSlots).Select(_ => Task.Run(() => RunSlotAsync(inProgress, stoppingToken), stoppingToken)));
    }

    private async Task RunSlotAsync(SemaphoreSlim inProgress, CancellationToken stoppingToken)
    {
        var worker = options.Value;
        try
        {
            while (true)
            {
                await inProgress.WaitAsync(stoppingToken);
                if (storeOutage.Remaining > TimeSpan.Zero)
                {
                    logger.LogWarning("The image store is unreachable; taking no work for {Pause}", storeOutage.Remaining);
                }

                IReadOnlyList<QueuedRender> batch;
                try
                {
                    await storeOutage.WaitAsync(stoppingToken);
                    batch = await queue.TakeAsync(worker.BatchSize, worker.BatchTimeLimit, skipped.Skips, stoppingToken);
                }
                catch
                {
                    inProgress.Release();
                    throw;
                }

                var finishing = await RenderBatchAsync(batch, preemptible: true, stoppingToken);
                _ = finishing.ContinueWith(_ => inProgress.Release(), TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Renders a batch under a span of its own, parented to its first image's trace and linked to the others' (a batch
    /// may hold several jobs), and starts its encoding, uploads and report under the same span.
    /// </summary>
    /// <param name="preemptible">Whether a small job's batch may render between its steps (<see cref="EnginePreemption"/>).</param>
    /// <returns>The batch's encoding, uploads and report, still running.</returns>
    private async Task<Task> RenderBatchAsync(IReadOnlyList<QueuedRender> batch, bool preemptible, CancellationToken cancellationToken)
    {
        var traces = batch.Select(i => i.Trace).Where(t => t != default).Distinct().ToList();
        var activity = FarmTracing.Source.StartActivity(
            "render batch", ActivityKind.Internal, traces.FirstOrDefault(), links: [.. traces.Skip(1).Select(t => new ActivityLink(t))]);
        activity?.SetTag("renderfarm.model", batch[0].Message.Model);
        activity?.SetTag("renderfarm.images", batch.Count);
        activity?.SetTag("renderfarm.worker.id", options.Value.Id);
        try
        {
            var report = new BatchReport(options.Value.Id, logger);
            List<(QueuedRender Item, GeneratedImage Image, GenerationResult Result, long Milliseconds)> rendered;
            using (var engine = FarmTracing.Source.StartActivity("engine"))
            {
                engine?.SetTag("renderfarm.model", batch[0].Message.Model);
                engine?.SetTag("renderfarm.images", batch.Count);
                engine?.SetTag("renderfarm.device", generator.Device);
                rendered = control.HandsBack ? HandBack(batch, report) : await RenderAsync(batch, report, preemptible, cancellationToken);
                engine?.SetTag("renderfarm.failed", batch.Count - rendered.Count);
            }

            return FinishAsync(batch, rendered, report, activity, cancellationToken);
        }
        catch
        {
            activity?.Dispose();
            throw;
        }
    }

    /// <returns>The images the engine made, with their share of its time; failures go into <paramref name="report"/>.</returns>
    private async Task<List<(QueuedRender Item, GeneratedImage Image, GenerationResult Result, long Milliseconds)>> RenderAsync(
        IReadOnlyList<QueuedRender> batch, BatchReport report, bool preemptible, CancellationToken cancellationToken)
    {
        var first = batch[0].Message;
        var preemption = preemptible && options.Value.Preemption
            ? new EnginePreemption(ct => TakeUrgentAsync(first.Model, ct), async (urgent, ct) =>
            {
                FarmMetrics.EnginePreemptions.Add(1, new("model", first.Model), new("worker", options.Value.Id));
                await RenderBatchAsync(urgent, preemptible: false, ct);
            })
            : null;
        var request = new GenerationBatch(
            first.Model, first.Width, first.Height, first.Steps, first.Guidance,
            batch.Select(i => new GenerationItem(i.Message.Prompt, i.Message.NegativePrompt, i.Message.Seed)).ToList(),
            first.Noise);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var progress = options.Value.ProgressInterval > TimeSpan.Zero
                ? new ThrottledProgress(PublishProgress, options.Value.Id, [.. batch.Select(i => i.Message)], options.Value.ProgressInterval, TimeProvider.System)
                : null;
            GenerationResult result;

            // A batch let in between another's steps is inside that one's busy time already.
            using (preemptible ? engineBusy.Enter() : null)
            {
                result = await generator.GenerateAsync(request, progress, preemption, cancellationToken);
            }

            control.EngineSucceeded();
            var elapsed = Measured(batch, stopwatch.Elapsed, preemption);
            var milliseconds = (long)Math.Round(elapsed.TotalMilliseconds / batch.Count);
            var model = new KeyValuePair<string, object?>("model", first.Model);
            FarmMetrics.BatchSize.Record(batch.Count, model);
            FarmMetrics.EngineSecondsPerImage.Record(elapsed.TotalSeconds / batch.Count, model, new("worker", options.Value.Id));
            return [.. batch.Select((item, i) => (item, result.Images[i], result, milliseconds))];
        }
        catch (ImageGenerationException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The engine rendered the batch and names the images that came out NaN or Inf: those fail (rendering
            // them again alone would give the same), the others go on to be stored.
            var milliseconds = (long)Math.Round(Measured(batch, stopwatch.Elapsed, preemption).TotalMilliseconds / batch.Count);
            var result = new GenerationResult([], e.Sampler, e.Noise);
            var rendered = new List<(QueuedRender, GeneratedImage, GenerationResult, long)>();
            for (var i = 0; i < batch.Count; i++)
            {
                if (e.Images[i] is { } image)
                {
                    rendered.Add((batch[i], image, result, milliseconds));
                }
                else
                {
                    // Not counted towards quarantine: NaN comes from the model on this prompt, and its neighbours were fine.
                    report.Fail(batch[i].Message, e.Errors[i]!, e);
                }
            }

            return rendered;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (batch.Count == 1)
            {
                report.Fail(first, e);
                control.EngineFailed(first.ImageId, e.Message);
                return [];
            }

            // One bad image must not fail its neighbours: try each alone, so only the culprit is charged.
            logger.LogWarning(e, "Batch of {Count} failed; rendering its images one by one", batch.Count);
            var rendered = new List<(QueuedRender, GeneratedImage, GenerationResult, long)>();
            foreach (var item in batch)
            {
                // Quarantined by the failures so far: the rest go back for a healthy worker, uncharged.
                rendered.AddRange(control.HandsBack ? HandBack([item], report) : await RenderAsync([item], report, preemptible: false, cancellationToken));
            }

            return rendered;
        }
    }

    /// <returns>The batch's own engine time: <paramref name="elapsed"/> less its pauses for other batches.</returns>
    private TimeSpan Measured(IReadOnlyList<QueuedRender> batch, TimeSpan elapsed, EnginePreemption? preemption)
    {
        elapsed -= preemption?.Paused ?? TimeSpan.Zero;
        statistics.AddEngineCall(batch.Count, elapsed);
        engineTimes.Add(RenderImageBatchKey.Of(batch[0].Message), batch.Count, elapsed);
        return elapsed;
    }

    /// <summary>
    /// A small job's batch to render between the running batch's steps; none while the worker steps aside or its store
    /// is down (it takes no work then). Its encoding, uploads and report run on beside the running batch's, outside
    /// <see cref="WorkerOptions.ConcurrentBatches"/>: a small job's few images, at most a batch a step.
    /// </summary>
    private ValueTask<IReadOnlyList<QueuedRender>?> TakeUrgentAsync(string runningModel, CancellationToken cancellationToken) =>
        control.HandsBack || storeOutage.Remaining > TimeSpan.Zero
            ? ValueTask.FromResult<IReadOnlyList<QueuedRender>?>(null)
            : queue.TakeUrgentAsync(options.Value.BatchSize, runningModel, skipped.Skips, cancellationToken);

    /// <summary>This worker steps aside: the images go back to pending without an attempt charged, to be dispatched again.</summary>
    private List<(QueuedRender Item, GeneratedImage Image, GenerationResult Result, long Milliseconds)> HandBack(IReadOnlyList<QueuedRender> batch, BatchReport report)
    {
        var why = new InvalidOperationException($"Worker {options.Value.Id} is {control.State} and hands its images back: {control.Reason}");
        foreach (var item in batch)
        {
            report.Return(item.Message, why);
        }

        return [];
    }

    /// <summary>Fire and forget: progress only moves progress bars, so a lost message is not worth holding the engine for.</summary>
    private void PublishProgress(RenderProgress progress) =>
        _ = bus.Publish(progress).ContinueWith(
            t => logger.LogDebug(t.Exception, "Step progress of a batch could not be published"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>Encodes and uploads all images of a batch at once, then reports the batch in one message.</summary>
    private async Task FinishAsync(
        IReadOnlyList<QueuedRender> batch,
        List<(QueuedRender Item, GeneratedImage Image, GenerationResult Result, long Milliseconds)> rendered,
        BatchReport report,
        Activity? activity,
        CancellationToken cancellationToken)
    {
        using var batchSpan = activity;
        try
        {
            await Task.WhenAll(rendered.Select(r => Task.Run(
                async () =>
                {
                    // Cancelled while in the engine: nothing to upload, so nothing is left behind.
                    if (skipped.Skips(r.Item.Message))
                    {
                        return;
                    }

                    await StoreAsync(r.Item.Message, r.Image, r.Result, r.Milliseconds, report, cancellationToken);
                },
                cancellationToken)));

            if (!report.IsEmpty)
            {
                await sends.WithinTimeoutAsync(ct => bus.Publish(report.ToMessage(), ct), cancellationToken);
                statistics.AddRendered(report.Rendered.Count);
            }

            foreach (var item in batch)
            {
                item.Complete();
            }
        }
        catch (Exception e)
        {
            // The report is lost: the messages go back to the broker and are rendered again (same keys, recorded once).
            logger.LogWarning(e, "Batch of {Count} could not be reported; its messages will be redelivered", batch.Count);
            foreach (var item in batch)
            {
                item.Fail(e);
            }
        }
    }

    /// <summary>
    /// Uploads, retried with backoff inside (see AddWorkerServices). Past that the gate holds the engine back, so the
    /// worker stops taking work while its store is down, and the image, made already, waits for the store to seem back
    /// and is uploaded again, for up to <see cref="WorkerOptions.KeepRenderedFor"/>: rendering it again would cost GPU
    /// time for a fault of the store.
    /// </summary>
    /// <returns>Null once uploaded; the last failure when the image should go back to the farm instead.</returns>
    private async Task<Exception?> UploadAsync(RenderImage message, byte[] encoded, string contentType, CancellationToken cancellationToken)
    {
        var keepUntil = clock.GetUtcNow() + options.Value.KeepRenderedFor;
        while (true)
        {
            try
            {
                var upload = Stopwatch.StartNew();
                using var span = FarmTracing.Source.StartActivity("upload");
                span?.SetTag("renderfarm.image.id", message.ImageId);
                span?.SetTag("renderfarm.bytes", encoded.Length);
                await uploader.UploadAsync(message, encoded, contentType, cancellationToken);
                FarmMetrics.UploadSeconds.Record(upload.Elapsed.TotalSeconds);
                storeOutage.UploadSucceeded();
                return null;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                storeOutage.UploadFailed(message.UploadUrl);

                // Given up: kept long enough, an address the store refuses (expired: a new dispatch brings a fresh one),
                // a job cancelled meanwhile, or a worker stepping aside.
                if (clock.GetUtcNow() >= keepUntil || (e is HttpRequestException { StatusCode: { } status } && (int)status is >= 400 and < 500)
                    || skipped.Skips(message) || control.HandsBack)
                {
                    return e;
                }

                // A worker that begins to step aside meanwhile (stopping, quarantined) hands the image back at once.
                await storeOutage.WaitAsync(cancellationToken, stopWaiting: () => control.HandsBack);
                if (control.HandsBack)
                {
                    return e;
                }
            }
        }
    }

    /// <summary>Encodes and uploads one image into <paramref name="report"/>: an encoding failure is charged, an upload failure is not.</summary>
    private async Task StoreAsync(RenderImage message, GeneratedImage image, GenerationResult result, long renderMilliseconds, BatchReport report, CancellationToken cancellationToken)
    {
        byte[] encoded;
        ImageFormat format;
        try
        {
            if (!ImageFormats.TryParse(message.Format, out format))
            {
                throw new InvalidOperationException($"Unknown image format '{message.Format}'.");
            }

            var parameters = new GenerationParameters(
                message.Prompt, message.NegativePrompt, message.Steps, result.Sampler, message.Guidance, message.Seed, message.Width, message.Height, message.Model, result.Noise);
            encoded = encoder.Encode(image, format, parameters);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            report.Fail(message, e);
            return;
        }

        if (await UploadAsync(message, encoded, format.ContentType(), cancellationToken) is { } failure)
        {
            report.Return(message, failure);
            return;
        }

        report.Count(message, "rendered");
        report.Rendered.Add(new ImageRendered
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
            Device = generator.Device,
        });
    }
}

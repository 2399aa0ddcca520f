using Microsoft.Extensions.Options;
using RenderFarm.Coordinator.Audit;
using RenderFarm.Coordinator.Events;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Storage;

namespace RenderFarm.Coordinator.Jobs;

/// <summary>
/// Submits an ordinary job and holds the caller until it finishes, for the APIs whose clients expect the images in
/// the answer. Woken by this replica's image events (every replica hears every image), not by polling the database.
/// </summary>
public sealed class SynchronousJobRunner(
    JobService jobs,
    JobQueries queries,
    ImageEventBroadcaster events,
    IImageStore store,
    AuditTrail audit,
    IOptions<SynchronousJobsOptions> options,
    TimeProvider clock,
    ILogger<SynchronousJobRunner> logger)
{
    /// <remarks>
    /// A job that runs out of time, or whose caller goes away, is cancelled: nobody is left to collect its images, and
    /// OpenAI's clients retry errors on their own, which would otherwise pile up copies of the same work.
    /// </remarks>
    /// <param name="studioId">The caller's studio, which owns the job.</param>
    public async Task<SynchronousJobResult> RunAsync(JobRequest request, Guid? studioId, CancellationToken cancellationToken)
    {
        // Subscribed before the job exists, so that none of its events can pass unheard.
        using var subscription = events.Subscribe();
        var (accepted, errors) = await jobs.SubmitAsync(request, studioId, origin: null, cancellationToken);
        if (accepted is null)
        {
            return new SynchronousJobResult(SynchronousJobOutcome.Invalid, errors);
        }

        await audit.RecordAsync("job.submitted", accepted.Id.ToString("D"), studioId, $"{accepted.ImageCount} images, waiting for them", cancellationToken);

        using var deadline = new CancellationTokenSource(options.Value.Timeout, clock);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        JobView job;
        try
        {
            job = await WaitForFinishAsync(accepted.Id, subscription, waiting.Token);
        }
        catch (OperationCanceledException) when (waiting.IsCancellationRequested)
        {
            await jobs.CancelAsync(accepted.Id, CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            logger.LogWarning("Job {JobId} did not finish within {Timeout} and was cancelled", accepted.Id, options.Value.Timeout);
            return new SynchronousJobResult(SynchronousJobOutcome.TimedOut, errors, JobId: accepted.Id);
        }

        var images = await queries.GetImagesAsync(accepted.Id, cancellationToken) ?? [];
        return new SynchronousJobResult(SynchronousJobOutcome.Finished, errors, job, images, accepted.Id);
    }

    /// <summary>The stored bytes of a rendered image.</summary>
    public async Task<byte[]> ReadAsync(JobImageView image, CancellationToken cancellationToken)
    {
        var stored = await queries.FindRenderedImageAsync(image.Id, cancellationToken)
            ?? throw new InvalidOperationException($"Image {image.Id} has no stored object.");
        using var content = new MemoryStream(capacity: (int)(stored.Bytes ?? 0));
        await store.CopyToAsync(stored.ObjectKey!, content, cancellationToken);
        return content.ToArray();
    }

    private async Task<JobView> WaitForFinishAsync(Guid jobId, ImageEventSubscription subscription, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Jobs are finished before their images' event is published, so one read after an event tells.
            var job = await queries.GetAsync(jobId, cancellationToken)
                ?? throw new InvalidOperationException($"Job {jobId} disappeared while its caller waited.");
            if (JobStatusNames.TryParseStatus(job.Status, out var status) && status.IsFinished())
            {
                return job;
            }

            await NextEventOfAsync(jobId, subscription, cancellationToken);
        }
    }

    /// <summary>Returns when an event of the job arrives, or after the recheck interval without one.</summary>
    private async Task NextEventOfAsync(Guid jobId, ImageEventSubscription subscription, CancellationToken cancellationToken)
    {
        using var recheck = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        recheck.CancelAfter(options.Value.RecheckInterval);
        try
        {
            while (await subscription.Reader.WaitToReadAsync(recheck.Token))
            {
                var ours = false;
                while (subscription.Reader.TryRead(out var imageEvent))
                {
                    ours |= imageEvent.JobId == jobId;
                }

                if (ours)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The recheck interval passed: the caller reads the job again.
        }
    }
}

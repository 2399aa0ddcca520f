using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Workers;
using RenderFarm.Core.Dispatch;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Infrastructure.Messaging;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Dispatch;

/// <summary>
/// Moves pending images from the database to the model queues, fairly and within each job's window.
/// The database is the record of truth: images are sent, then marked dispatched in the same transaction, so a
/// crash in between re-sends them later (workers are idempotent) and never loses one.
/// </summary>
public sealed class ImageDispatcher(
    RenderFarmDbContext db,
    IBus bus,
    WorkerRegistry workers,
    JobFinalizer finalizer,
    IOptions<DispatchOptions> options,
    TimeProvider clock,
    ILogger<ImageDispatcher> logger)
{
    /// <returns>How many images were sent.</returns>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        var active = await db.Jobs.AsNoTracking()
            .Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
            .Select(j => new
            {
                j.Model,
                Demand = new JobDemand(
                    j.Id,
                    j.Priority,
                    j.Images.Count(i => i.Status == ImageStatus.Pending),
                    j.Images.Count(i => i.Status == ImageStatus.Dispatched),
                    j.LastDispatchedAt,
                    j.CreatedAt),
            })
            .ToListAsync(cancellationToken);

        // Finishing jobs here as well as on each image event means a lost event delays a job, never strands it.
        foreach (var done in active.Where(a => a.Demand.Pending == 0 && a.Demand.InFlight == 0))
        {
            await finalizer.TryFinishAsync(done.Demand.JobId, cancellationToken);
        }

        var live = await workers.ListLiveAsync(cancellationToken);
        var settings = options.Value;
        var sent = 0;
        foreach (var model in active.Where(a => a.Demand.Pending > 0).GroupBy(a => a.Model))
        {
            var farmCapacity = live.Where(w => w.Models.Contains(model.Key)).Sum(w => w.BatchSize * settings.BatchesInFlightPerWorker);
            var inFlight = active.Where(a => a.Model == model.Key).Sum(a => a.Demand.InFlight);
            var capacity = Math.Max(settings.MinInFlightPerModel, farmCapacity) - inFlight;
            if (capacity <= 0)
            {
                continue;
            }

            foreach (var (jobId, count) in FairDispatchPlanner.Plan(model.Select(a => a.Demand), capacity, settings.WindowPerJob))
            {
                sent += await DispatchJobAsync(jobId, model.Key, count, cancellationToken);
            }
        }

        return sent;
    }

    private async Task<int> DispatchJobAsync(Guid jobId, string model, int count, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId, cancellationToken);
        var images = await LockPendingImagesAsync(jobId, count, cancellationToken);
        if (images.Count == 0 || job.Status.IsFinished())
        {
            return 0;
        }

        var messages = images.Select(image => new RenderImage
        {
            JobId = job.Id,
            ImageId = image.Id,
            Index = image.Index,
            Prompt = image.Prompt,
            NegativePrompt = job.NegativePrompt,
            Seed = image.Seed,
            Width = job.Width,
            Height = job.Height,
            Steps = job.Steps,
            Guidance = job.Guidance,
            Model = model,
            Format = job.Format,
            Attempt = image.Attempts + 1,
        }).ToList();

        var endpoint = await bus.GetSendEndpoint(RenderQueues.AddressFor(model));
        await endpoint.SendBatch(messages, cancellationToken);

        var now = clock.GetUtcNow();
        var ids = images.Select(i => i.Id).ToList();
        await db.Images
            .Where(i => ids.Contains(i.Id) && i.Status == ImageStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImageStatus.Dispatched).SetProperty(i => i.DispatchedAt, now), cancellationToken);
        await db.Jobs
            .Where(j => j.Id == jobId)
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.LastDispatchedAt, now)
                    .SetProperty(j => j.Status, j => j.Status == JobStatus.Queued ? JobStatus.Running : j.Status)
                    .SetProperty(j => j.StartedAt, j => j.StartedAt ?? now),
                cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        logger.LogDebug("Dispatched {Count} images of job {JobId} to {Queue}", images.Count, jobId, RenderQueues.NameFor(model));
        return images.Count;
    }

    /// <summary>
    /// Locks the next pending images of a job. On PostgreSQL rows another coordinator replica has locked are
    /// skipped, so replicas never send the same image; SQLite serialises writers anyway.
    /// </summary>
    private Task<List<JobImage>> LockPendingImagesAsync(Guid jobId, int count, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            return db.Images
                .FromSql($"""
                    SELECT * FROM images
                    WHERE "JobId" = {jobId} AND "Status" = 'Pending'
                    ORDER BY "Index"
                    LIMIT {count}
                    FOR UPDATE SKIP LOCKED
                    """)
                .AsNoTracking()
                .ToListAsync(cancellationToken);
        }

        return db.Images.AsNoTracking()
            .Where(i => i.JobId == jobId && i.Status == ImageStatus.Pending)
            .OrderBy(i => i.Index)
            .Take(count)
            .ToListAsync(cancellationToken);
    }
}

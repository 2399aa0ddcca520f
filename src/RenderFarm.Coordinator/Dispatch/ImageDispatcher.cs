using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Deadlines;
using RenderFarm.Coordinator.Events;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Models;
using RenderFarm.Coordinator.Webhooks;
using RenderFarm.Core.Dispatch;
using RenderFarm.Core.Images;
using RenderFarm.Core.Imaging;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Storage;
using RenderFarm.Core.Telemetry;
using RenderFarm.Core.Workers;
using RenderFarm.Infrastructure.Messaging;
using RenderFarm.Infrastructure.Persistence;
using RenderFarm.Infrastructure.Storage;

namespace RenderFarm.Coordinator.Dispatch;

/// <summary>
/// Moves pending images from the database to the model queues, fairly and within each job's window: one
/// transaction, one locking statement and one batch send per model for a whole round, however many images it holds.
/// A job that requires labels belongs to a pool (its model and labels) planned over the workers that match, and its
/// images go to those workers' own queues instead of the model's, so no other worker can take them; so do the images
/// of a model whose workers advertise different identities (only the listed identity's workers get them).
/// The database is the record of truth: images are sent, then marked dispatched in the same transaction, so a
/// crash in between re-sends them later (results are recorded once) and never loses one.
/// </summary>
public sealed class ImageDispatcher(
    RenderFarmDbContext db,
    IBus bus,
    BrokerSends sends,
    IImageStore store,
    ModelCatalogService catalogs,
    JobFinalizer finalizer,
    StudioShareLedger shares,
    FinishEstimates finishes,
    AtRiskAnnouncements announced,
    ImageEventBroadcaster events,
    WebhookOutbox webhooks,
    IOptions<DispatchOptions> options,
    IOptions<StorageOptions> storage,
    TimeProvider clock,
    ILogger<ImageDispatcher> logger)
{
    /// <returns>How many images were sent.</returns>
    public Task<int> DispatchOnceAsync(CancellationToken cancellationToken) => RoundAsync(send: true, cancellationToken);

    /// <summary>
    /// A round inside the caller's transaction, sending nothing: the caller rolls it back. A process's first real round
    /// otherwise pays for compiling its queries, updates and planner (~50 ms of the embedded farm's first job, whose
    /// start-up rehearses it on a job it then rolls back).
    /// </summary>
    /// <returns>How many images the round would have sent.</returns>
    public Task<int> RehearseAsync(CancellationToken cancellationToken) =>
        db.Database.CurrentTransaction is null
            ? throw new InvalidOperationException("A rehearsal runs inside a transaction its caller rolls back.")
            : RoundAsync(send: false, cancellationToken);

    private async Task<int> RoundAsync(bool send, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var catalog = await catalogs.GetAsync(cancellationToken);
        var live = catalog.LiveWorkers;
        int TargetOf(IEnumerable<WorkerRecord> workers) => Math.Max(settings.MinInFlightPerModel, workers.Sum(w => InFlightTarget(w, settings)));

        // A job's window grows to its model's target: one job alone keeps every worker busy, however many there are
        // (jobs share the target by taking turns, so the window is not what keeps them fair).
        int WindowFor(int target) => Math.Max(settings.WindowPerJob, target);

        // Paused jobs only for what they still have on workers, which counts against their model's target. The planner
        // gives a job at most its window, and no model's target exceeds that of all live workers, so pending images are
        // counted only that far: a round costs the same for a job of ten images and one of a hundred thousand (the
        // backlog gauge counts them all, on its own clock).
        var window = WindowFor(TargetOf(live));
        var active = await db.Jobs.AsNoTracking().IgnoreQueryFilters()
            .Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running || j.Status == JobStatus.Paused)
            .Select(j => new ActiveJob(
                new JobDemand(
                    j.Id,
                    j.Priority,
                    j.Status == JobStatus.Paused ? 0 : j.Images.Where(i => i.Status == ImageStatus.Pending).OrderBy(i => i.Index).Take(window).Count(),
                    j.Images.Count(i => i.Status == ImageStatus.Dispatched),
                    j.LastDispatchedAt,
                    j.CreatedAt,
                    j.StudioId,
                    db.Studios.Where(s => s.Id == j.StudioId).Select(s => s.Share).FirstOrDefault()),
                j.Model, j.NegativePrompt, j.Width, j.Height, j.Steps, j.Guidance, j.Format, j.Noise, j.Status == JobStatus.Paused, j.RequiredLabels, j.Deadline, j.TraceParent))
            .ToListAsync(cancellationToken);
        if (send)
        {
            // Not rehearsed: announcements and finishes are said once, and a rolled-back round must not say them.
            active = await MarkAtRiskAsync(active, cancellationToken);

            // Finishing jobs here as well as when results are recorded means a lost event delays a job, never strands it.
            await finalizer.FinishAsync([.. active.Where(a => !a.Paused && a.Demand.Pending == 0 && a.Demand.InFlight == 0).Select(a => a.Demand.JobId)], cancellationToken);
        }

        // Every model with work or known to the catalog is reported, with 0 workers where none serves it.
        FarmMetrics.ReplaceLiveWorkers(active.Select(a => a.Model).Concat(catalog.Models.Select(m => m.Name)).Concat(live.SelectMany(w => w.Models)).Distinct()
            .Select(m => (m, live.Count(w => w.Models.Contains(m)))));

        var plan = new List<(Guid JobId, int Count)>();
        var pools = new Dictionary<Guid, IReadOnlyList<WorkerRecord>>();
        foreach (var pool in active.GroupBy(a => (a.Model, Labels: string.Join(',', a.RequiredLabels))).Where(m => m.Any(a => a.Demand.Pending > 0)))
        {
            var required = pool.First().RequiredLabels;
            // A draining or quarantined worker takes nothing more: its capacity is not counted, its queue not addressed.
            var serving = live.Where(w => w.State == WorkerStates.Active && WorkerLabels.Serves(w, pool.Key.Model, required) && catalog.HoldsListedModel(w, pool.Key.Model)).ToList();

            // Workers that advertise different models under this name: only those holding the listed one may render it.
            var conflicted = catalog.Find(pool.Key.Model) is { Conflicts.Count: > 0 };
            var addressed = required.Count > 0 || conflicted;
            if (serving.Count == 0)
            {
                // No live worker can take these: they wait in the database, not in a queue, so the stuck-image reaper
                // does not charge them an attempt for every DispatchTimeout nobody came (and a job can wait for hours).
                continue;
            }

            // Pools of one model overlap (a labelled pool's workers also serve the model's queue), so together they may
            // queue a little more than one target on those workers; the worker's own render queue orders what it holds.
            var target = TargetOf(serving);

            // Whole batches at a time, so a small job's images share one engine call instead of one image in each;
            // a fresh job may go a batch per worker beyond the target (see the planner and the worker's RenderQueue).
            var unit = serving.Max(w => w.BatchSize);
            plan.AddRange(FairDispatchPlanner.PlanStudios(
                [.. pool.Select(a => a.Demand)], target, WindowFor(target), unit, lane: unit * serving.Count, shares, $"{pool.Key.Model}|{pool.Key.Labels}"));
            if (addressed)
            {
                foreach (var job in pool)
                {
                    pools[job.Demand.JobId] = serving;
                }
            }
        }

        return plan.Count == 0 ? 0 : await DispatchAsync(plan, active.ToDictionary(a => a.Demand.JobId), pools, window, send, cancellationToken);
    }

    /// <summary>
    /// Jobs at risk of missing their deadline are served first in their tier, earliest deadline first; one that cannot
    /// make it even with its model's whole farm is announced (<c>jobAtRisk</c> on the event stream) as soon as that is
    /// known, once.
    /// </summary>
    private async Task<List<ActiveJob>> MarkAtRiskAsync(List<ActiveJob> active, CancellationToken cancellationToken)
    {
        if (!active.Any(a => a.Deadline is not null))
        {
            return active;
        }

        // Whole backlogs (the round's own counts stop at each job's window): only while some job has a deadline.
        var estimates = await finishes.ForActiveJobsAsync(cancellationToken);
        var marked = new List<ActiveJob>(active.Count);
        foreach (var a in active)
        {
            if (estimates.GetValueOrDefault(a.Demand.JobId) is not { AtRisk: true } estimate)
            {
                marked.Add(a);
                continue;
            }

            if (estimate.Infeasible && announced.IsNew(a.Demand.JobId))
            {
                logger.LogWarning("Job {JobId} cannot make its deadline {Deadline:o}: estimated {Eta:o} even alone", a.Demand.JobId, a.Deadline, estimate.Eta);
                await webhooks.EnqueueJobAtRiskAsync(a.Demand.JobId, estimate.Eta, cancellationToken);
                events.Publish(new ImageEvent(ImageEvent.JobAtRisk, a.Demand.JobId, Guid.Empty, -1, Eta: estimate.Eta, Deadline: a.Deadline));
            }

            marked.Add(a with { Demand = a.Demand with { AtRiskDeadline = a.Deadline } });
        }

        return marked;
    }

    /// <summary>
    /// Images to keep on the bus for one worker: the batches that keep its engine busy (one more for each further batch
    /// its engine runs at once), plus enough to cover the time a result takes to come back and be replaced, measured
    /// from its engine time per image.
    /// </summary>
    public static int InFlightTarget(WorkerRecord worker, DispatchOptions settings)
    {
        var slots = Math.Max(1, worker.EngineSlots);
        var batches = worker.BatchSize * (settings.BatchesInFlightPerWorker + slots - 1);
        var roundTrip = worker.EngineMillisecondsPerImage is { } perImage
            ? (int)Math.Ceiling(settings.RoundTripAllowance.TotalMilliseconds / Math.Max(perImage / slots, 0.01))
            : 0;
        return Math.Min(batches + roundTrip, Math.Max(batches, settings.MaxInFlightPerWorker));
    }

    private async Task<int> DispatchAsync(
        List<(Guid JobId, int Count)> plan, Dictionary<Guid, ActiveJob> jobs, Dictionary<Guid, IReadOnlyList<WorkerRecord>> pools, int window, bool send, CancellationToken cancellationToken)
    {
        using var round = send ? FarmTracing.Source.StartActivity("dispatch round") : null;
        await using var transaction = send ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var images = await LockPendingImagesAsync(plan, cancellationToken);
        if (images.Count == 0)
        {
            return 0;
        }

        // Pending counts stop at the window, so only a count below it says that this round takes the job's last images.
        var tails = images.CountBy(i => i.JobId)
            .Where(j => jobs[j.Key].Demand.Pending < window && j.Value >= jobs[j.Key].Demand.Pending)
            .Select(j => j.Key)
            .ToHashSet();

        var lifetime = storage.Value.UploadUrlLifetime;
        var messages = new List<RenderImage>(images.Count);
        foreach (var image in images)
        {
            var job = jobs[image.JobId];
            if (!ImageFormats.TryParse(job.Format, out var format))
            {
                throw new InvalidOperationException($"Job {job.Demand.JobId} has an unknown format '{job.Format}'.");
            }

            var key = ImageFormats.ObjectKey(job.Demand.JobId, image.Index, format);
            messages.Add(new RenderImage
            {
                JobId = job.Demand.JobId,
                ImageId = image.Id,
                Index = image.Index,
                Prompt = image.Prompt,
                NegativePrompt = job.NegativePrompt,
                Seed = image.Seed,
                Width = job.Width,
                Height = job.Height,
                Steps = job.Steps,
                Guidance = job.Guidance,
                Model = job.Model,
                Format = job.Format,
                Noise = job.Noise,
                Attempt = image.Attempts + 1,
                Priority = (int)job.Demand.Priority,
                StudioId = job.Demand.StudioId,
                StudioShare = Math.Max(1, job.Demand.Share),
                Deadline = job.Demand.AtRiskDeadline,
                JobTail = tails.Contains(job.Demand.JobId),
                ObjectKey = key,
                UploadUrl = await store.CreateUploadUrlAsync(key, lifetime, cancellationToken),
            });
        }

        foreach (var (address, batch) in Route(messages, pools))
        {
            // Looked up in a rehearsal too: the endpoint's first lookup is part of a first round's cost.
            var endpoint = await bus.GetSendEndpoint(address);
            if (!send)
            {
                continue;
            }

            // A send per job (RabbitMQ takes messages one at a time anyway, so this costs no round trip): each job's
            // images go out under a span parented to its submission, which MassTransit carries to the worker.
            // Bounded: a send stuck on a dropped connection would hold this round's row locks, and every result of them.
            await sends.WithinTimeoutAsync(
                ct => Task.WhenAll(batch.GroupBy(m => m.JobId).Select(job => SendTracedAsync(endpoint, [.. job], jobs[job.Key].TraceParent, round, ct))),
                cancellationToken);
            foreach (var model in batch.GroupBy(m => m.Model))
            {
                FarmMetrics.ImagesDispatched.Add(model.Count(), new KeyValuePair<string, object?>("model", model.Key));
            }
        }

        var now = clock.GetUtcNow();
        var ids = images.Select(i => i.Id).ToList();
        var jobIds = images.Select(i => i.JobId).Distinct().ToList();
        await db.Images
            .Where(i => ids.Contains(i.Id) && i.Status == ImageStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImageStatus.Dispatched).SetProperty(i => i.DispatchedAt, now), cancellationToken);
        await db.Jobs
            .Where(j => jobIds.Contains(j.Id))
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.LastDispatchedAt, now)
                    .SetProperty(j => j.Status, j => j.Status == JobStatus.Queued ? JobStatus.Running : j.Status)
                    .SetProperty(j => j.StartedAt, j => j.StartedAt ?? now),
                cancellationToken);
        if (transaction is null)
        {
            return images.Count; // rehearsed: the caller rolls back
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var image in images.Where(i => i.Attempts == 0))
        {
            FarmMetrics.DispatchSeconds.Record((now - jobs[image.JobId].Demand.CreatedAt).TotalSeconds, new KeyValuePair<string, object?>("model", jobs[image.JobId].Model));
        }

        round?.SetTag("renderfarm.images", images.Count);
        round?.SetTag("renderfarm.jobs", jobIds.Count);
        logger.LogDebug("Dispatched {Count} images of {Jobs} jobs", images.Count, jobIds.Count);
        return images.Count;
    }

    /// <summary>Sends one job's images of a round as children of the request that submitted the job, linked to the round.</summary>
    private static async Task SendTracedAsync(ISendEndpoint endpoint, List<RenderImage> messages, string? traceParent, Activity? round, CancellationToken cancellationToken)
    {
        using var activity = FarmTracing.Source.StartActivity(
            "dispatch job",
            ActivityKind.Internal,
            FarmTracing.ParseTraceParent(traceParent),
            links: round is null ? null : [new ActivityLink(round.Context)]);
        activity?.SetTag("renderfarm.job.id", messages[0].JobId);
        activity?.SetTag("renderfarm.model", messages[0].Model);
        activity?.SetTag("renderfarm.images", messages.Count);
        await endpoint.SendBatch(messages, cancellationToken);
    }

    /// <summary>
    /// Where each message goes: the model's queue, or for a job of a labelled pool the queue of one of the pool's
    /// workers, a batch at a time, each batch to the worker given the least so far this round relative to what it
    /// should hold (ties drawn at random, so rounds of a batch each still spread over the pool). Still one send per
    /// queue for the round.
    /// </summary>
    private IEnumerable<(Uri Address, List<RenderImage> Messages)> Route(List<RenderImage> messages, Dictionary<Guid, IReadOnlyList<WorkerRecord>> pools)
    {
        var routed = new Dictionary<Uri, List<RenderImage>>();
        void Add(Uri address, IEnumerable<RenderImage> batch)
        {
            if (!routed.TryGetValue(address, out var list))
            {
                routed[address] = list = [];
            }

            list.AddRange(batch);
        }

        var given = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var job in messages.GroupBy(m => m.JobId))
        {
            if (!pools.TryGetValue(job.Key, out var workers))
            {
                Add(RenderQueues.AddressFor(job.First().Model), job);
                continue;
            }

            foreach (var chunk in job.Chunk(Math.Max(1, workers.Min(w => w.BatchSize))))
            {
                var worker = workers
                    .OrderBy(w => (double)given.GetValueOrDefault(w.Id) / InFlightTarget(w, options.Value))
                    .ThenBy(_ => Random.Shared.Next())
                    .First();
                given[worker.Id] = given.GetValueOrDefault(worker.Id) + chunk.Length;
                Add(RenderQueues.AddressForWorker(worker.Id), chunk);
            }
        }

        return routed.Select(r => (r.Key, r.Value));
    }

    /// <summary>
    /// Locks the next pending images of every planned job, in plan order. On PostgreSQL one statement takes them all,
    /// skipping rows another coordinator replica has locked, so replicas never send the same image; SQLite is local
    /// and serialises writers anyway, so a query per job costs no round trip there.
    /// </summary>
    private async Task<List<JobImage>> LockPendingImagesAsync(List<(Guid JobId, int Count)> plan, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            var jobIds = plan.Select(p => p.JobId).ToArray();
            var counts = plan.Select(p => p.Count).ToArray();
            return await db.Images
                .FromSql($"""
                    SELECT i.* FROM unnest({jobIds}, {counts}) WITH ORDINALITY AS p(job_id, n, ord)
                    CROSS JOIN LATERAL (
                        SELECT * FROM images
                        WHERE "JobId" = p.job_id AND "Status" = 'Pending'
                        ORDER BY "Index"
                        LIMIT p.n
                        FOR UPDATE SKIP LOCKED) AS i
                    ORDER BY p.ord, i."Index"
                    """)
                .IgnoreQueryFilters()
                .AsNoTracking()
                .ToListAsync(cancellationToken);
        }

        var images = new List<JobImage>();
        foreach (var (jobId, count) in plan)
        {
            images.AddRange(await db.Images.AsNoTracking()
                .Where(i => i.JobId == jobId && i.Status == ImageStatus.Pending)
                .OrderBy(i => i.Index)
                .Take(count)
                .ToListAsync(cancellationToken));
        }

        return images;
    }

    private sealed record ActiveJob(
        JobDemand Demand, string Model, string NegativePrompt, int Width, int Height, int Steps, double Guidance, string Format, string? Noise, bool Paused, List<string> RequiredLabels, DateTimeOffset? Deadline, string? TraceParent);
}

using Microsoft.EntityFrameworkCore;
using RenderFarm.Coordinator.Models;
using RenderFarm.Core.Dispatch;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Deadlines;

/// <summary>
/// Finish estimates of unfinished jobs from measured throughput: each model's pace over its last images rendered within
/// <see cref="Window"/> (the time the farm had them in flight, from their own dispatch and finish times), or, before that, the engine time its live workers report. All studios' jobs count, since they share the workers.
/// </summary>
public sealed class FinishEstimates(RenderFarmDbContext db, ModelCatalogService catalogs, ThroughputReading reading, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private const int RecentImages = 256;

    // Paces change over minutes; every job view and dispatch round (with a deadline) asks.
    private static readonly TimeSpan Reuse = TimeSpan.FromSeconds(2);

    // Fewer finish times than this say little about a pace.
    private const int MinimumImages = 16;

    public async Task<IReadOnlyDictionary<string, double>> RatesAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (reading.Get(now, Reuse) is { Count: > 0 } cached)
        {
            return cached;
        }

        // The pace of each model's most recent images: a steady farm's throughput, not diluted by idle time (the busy
        // time of the last images rendered, not the window). The models are the catalog's, not
        // those of every image of the window: at a thousand images a second that was a scan of 300,000 rows.
        var since = now - Window;
        var catalog = await catalogs.GetAsync(cancellationToken);
        var rendered = db.Images.IgnoreQueryFilters().AsNoTracking()
            .Where(i => i.Status == ImageStatus.Rendered && !i.Reused && i.FinishedAt >= since)
            .Join(db.Jobs.IgnoreQueryFilters(), i => i.JobId, j => j.Id, (i, j) => new { j.Model, i.DispatchedAt, i.FinishedAt });
        var rates = new Dictionary<string, double>();
        foreach (var model in catalog.Models.Select(m => m.Name).Concat(catalog.LiveWorkers.SelectMany(w => w.Models)).Distinct())
        {
            var recent = await rendered.Where(r => r.Model == model).OrderByDescending(r => r.FinishedAt).Take(RecentImages)
                .Select(r => new { Dispatched = r.DispatchedAt ?? r.FinishedAt!.Value, Finished = r.FinishedAt!.Value }).ToListAsync(cancellationToken);
            if (recent.Count >= MinimumImages && FinishEstimator.ImagesPerSecond([.. recent.Select(r => (r.Dispatched, r.Finished))]) is { } rate)
            {
                rates[model] = rate;
            }
        }

        var measured = rates.Keys.ToHashSet();
        foreach (var worker in catalog.LiveWorkers.Where(w => w.EngineMillisecondsPerImage > 0))
        {
            foreach (var model in worker.Models.Where(m => !measured.Contains(m)))
            {
                rates[model] = rates.GetValueOrDefault(model) + (1000.0 * worker.EngineSlots / worker.EngineMillisecondsPerImage!.Value);
            }
        }

        reading.Set(now, rates);
        return rates;
    }

    /// <summary>Every unfinished job's estimate.</summary>
    public async Task<Dictionary<Guid, JobEstimate>> ForActiveJobsAsync(CancellationToken cancellationToken) =>
        FinishEstimator.Estimate(await ActiveAsync(cancellationToken), await RatesAsync(cancellationToken), clock.GetUtcNow());

    /// <summary>The estimate a job would get if it were submitted now.</summary>
    public async Task<JobEstimate> ForNewJobAsync(string model, JobPriority priority, int images, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        var candidate = new JobBacklog(Guid.Empty, model, priority, images, deadline);
        var active = await ActiveAsync(cancellationToken);
        return FinishEstimator.Estimate([.. active, candidate], await RatesAsync(cancellationToken), clock.GetUtcNow())[Guid.Empty];
    }

    private Task<List<JobBacklog>> ActiveAsync(CancellationToken cancellationToken) =>
        db.Jobs.IgnoreQueryFilters().AsNoTracking()
            .Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
            .Select(j => new JobBacklog(j.Id, j.Model, j.Priority, j.Images.Count(i => i.Status == ImageStatus.Pending || i.Status == ImageStatus.Dispatched), j.Deadline))
            .ToListAsync(cancellationToken);
}

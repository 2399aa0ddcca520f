using Microsoft.EntityFrameworkCore;
using RenderFarm.Coordinator.Models;
using RenderFarm.Coordinator.Workers;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Farm;

/// <summary>The farm overview, derived from image rows and heartbeats (no counters of its own to drift).</summary>
public sealed class FarmQueries(RenderFarmDbContext db, WorkerRegistry workers, ModelCatalogService catalogs, TimeProvider clock)
{
    /// <summary>How far back a worker's images/min looks: long enough to smooth batches, short enough to show a stall.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(5);

    public async Task<FarmView> GetAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return new FarmView(now, await GetWorkersAsync(now, cancellationToken), await GetQueueAsync(cancellationToken), await GetImagesPerHourAsync(now, cancellationToken),
            await GetUnservedAsync(cancellationToken));
    }

    private async Task<IReadOnlyList<UnservedModelView>> GetUnservedAsync(CancellationToken cancellationToken)
    {
        var waiting = await db.Jobs.AsNoTracking()
            .Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
            .Select(j => new { j.Model, j.RequiredLabels, Waiting = j.Images.Count(i => i.Status == ImageStatus.Pending || i.Status == ImageStatus.Dispatched) })
            .ToListAsync(cancellationToken);
        if (waiting.Count == 0)
        {
            return [];
        }

        var catalog = await catalogs.GetAsync(cancellationToken);
        return waiting
            .Where(j => !catalog.HasWorkerFor(j.Model, j.RequiredLabels))
            .GroupBy(j => (j.Model, Labels: string.Join(',', j.RequiredLabels)))
            .OrderBy(g => g.Key.Model, StringComparer.Ordinal).ThenBy(g => g.Key.Labels, StringComparer.Ordinal)
            .Select(g => new UnservedModelView(g.Key.Model, g.First().RequiredLabels, g.Count(), g.Sum(j => j.Waiting)))
            .ToList();
    }

    private async Task<IReadOnlyList<FarmWorkerView>> GetWorkersAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var live = await workers.ListLiveAsync(cancellationToken);
        var since = now - RateWindow;
        var recent = await db.Images.AsNoTracking()
            .Where(i => i.Status == ImageStatus.Rendered && i.FinishedAt >= since && i.WorkerId != null)
            .GroupBy(i => i.WorkerId!)
            .Select(g => new { WorkerId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.WorkerId, g => g.Count, cancellationToken);

        return live.Select(w =>
        {
            // A worker that started within the window has had less time to render in.
            var minutes = (now - (w.StartedAt > since ? w.StartedAt : since)).TotalMinutes;
            var rate = minutes <= 0 ? 0 : Math.Round(recent.GetValueOrDefault(w.Id) / Math.Max(minutes, 1.0 / 60), 1);
            return new FarmWorkerView(w.Id, w.Host, w.Device, w.Models, w.Labels, w.DeviceMemoryBytes, w.BatchSize, w.ImagesRendered, rate, w.StartedAt, w.LastSeen, w.State, w.StateReason);
        }).ToList();
    }

    private async Task<IReadOnlyList<QueueDepthView>> GetQueueAsync(CancellationToken cancellationToken)
    {
        var counts = await db.Images.AsNoTracking()
            .Where(i => i.Status == ImageStatus.Pending || i.Status == ImageStatus.Dispatched)
            .Join(db.Jobs.AsNoTracking(), i => i.JobId, j => j.Id, (i, j) => new { j.Model, j.Priority, i.Status })
            .GroupBy(r => new { r.Model, r.Priority, r.Status })
            .Select(g => new { g.Key.Model, g.Key.Priority, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);

        return counts.GroupBy(c => (c.Model, c.Priority))
            .OrderBy(g => g.Key.Model, StringComparer.Ordinal).ThenByDescending(g => g.Key.Priority)
            .Select(g => new QueueDepthView(
                g.Key.Model,
                g.Key.Priority.ToWire(),
                g.Where(c => c.Status == ImageStatus.Pending).Sum(c => c.Count),
                g.Where(c => c.Status == ImageStatus.Dispatched).Sum(c => c.Count)))
            .ToList();
    }

    /// <summary>24 hourly buckets, oldest first, the last one being the current (partial) hour.</summary>
    private async Task<IReadOnlyList<HourlyCountView>> GetImagesPerHourAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var currentHour = new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero);
        var first = currentHour.AddHours(-23);

        // Bucketed here rather than in SQL: hour truncation is provider-specific, and a day of timestamps is small.
        var finished = await db.Images.AsNoTracking()
            .Where(i => i.Status == ImageStatus.Rendered && i.FinishedAt >= first)
            .Select(i => i.FinishedAt!.Value)
            .ToListAsync(cancellationToken);
        var perHour = finished.GroupBy(t => (int)Math.Floor((t - first).TotalHours)).ToDictionary(g => g.Key, g => g.Count());
        return Enumerable.Range(0, 24).Select(h => new HourlyCountView(first.AddHours(h), perHour.GetValueOrDefault(h))).ToList();
    }
}

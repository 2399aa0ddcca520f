using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Telemetry;
using RenderFarm.Infrastructure.Hosting;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Infrastructure.Telemetry;

/// <summary>
/// Counts the jobs table by status every <see cref="TelemetryOptions.JobCountInterval"/> for the <c>jobs</c> gauge, and
/// the images waiting or on workers per model every <see cref="TelemetryOptions.BacklogInterval"/> for the
/// <c>backlog.images</c> gauge that autoscaling reads. Gauges report the last reading: a scrape never waits on the
/// database, one grouped count serves every scrape in between, and the dispatcher, which needs only each job's next
/// window of images, never counts a whole backlog per round.
/// </summary>
public sealed class FarmCountReader(
    IServiceScopeFactory scopes,
    IHostApplicationLifetime lifetime,
    IOptions<TelemetryOptions> options,
    ILogger<FarmCountReader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The schema exists only once the host has started (the database initializer runs first).
            await lifetime.WaitForStartAsync(stoppingToken);
            await Task.WhenAll(
                RepeatAsync("jobs", options.Value.JobCountInterval, async db => FarmMetrics.ReplaceJobCounts(await CountJobsAsync(db, stoppingToken)), stoppingToken),
                RepeatAsync("the backlog", options.Value.BacklogInterval, async db => FarmMetrics.ReplaceBacklog(await CountBacklogAsync(db, stoppingToken)), stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RepeatAsync(string what, TimeSpan interval, Func<RenderFarmDbContext, Task> read, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await read(scope.ServiceProvider.GetRequiredService<RenderFarmDbContext>());
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not count {What} for the gauges; trying again in {Interval}", what, interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Every status, 0 rather than missing when no job has it.</summary>
    private static async Task<Dictionary<string, int>> CountJobsAsync(RenderFarmDbContext db, CancellationToken cancellationToken)
    {
        var counts = await db.Jobs.AsNoTracking().IgnoreQueryFilters()
            .GroupBy(j => j.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        return Enum.GetValues<JobStatus>().ToDictionary(s => s.ToWire(), s => counts.GetValueOrDefault(s));
    }

    /// <summary>A paused job's pending images are not waiting for a worker, so they do not count; those it has on workers do.</summary>
    private static async Task<List<(string Model, int Pending, int Dispatched)>> CountBacklogAsync(RenderFarmDbContext db, CancellationToken cancellationToken)
    {
        var counts = await db.Images.AsNoTracking().IgnoreQueryFilters()
            .Where(i => i.Status == ImageStatus.Pending || i.Status == ImageStatus.Dispatched)
            .Join(db.Jobs.IgnoreQueryFilters(), i => i.JobId, j => j.Id, (i, j) => new { j.Model, i.Status, Paused = j.Status == JobStatus.Paused })
            .Where(r => !r.Paused || r.Status == ImageStatus.Dispatched)
            .GroupBy(r => new { r.Model, r.Status })
            .Select(g => new { g.Key.Model, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return [.. counts.GroupBy(c => c.Model).Select(m => (
            m.Key,
            m.Where(c => c.Status == ImageStatus.Pending).Sum(c => c.Count),
            m.Where(c => c.Status == ImageStatus.Dispatched).Sum(c => c.Count)))];
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Telemetry;
using RenderFarm.Infrastructure.Hosting;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Infrastructure.Telemetry;

/// <summary>
/// Counts the jobs table by status every <see cref="TelemetryOptions.JobCountInterval"/> for the <c>jobs</c> gauge,
/// which reports the last reading: a scrape never waits on the database, and one grouped count (over the status
/// index) serves every scrape in between. Every status reads 0 rather than vanishing when no job has it.
/// </summary>
public sealed class JobCountReader(
    IServiceScopeFactory scopes,
    IHostApplicationLifetime lifetime,
    IOptions<TelemetryOptions> options,
    ILogger<JobCountReader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The schema exists only once the host has started (the database initializer runs first).
            await lifetime.WaitForStartAsync(stoppingToken);
            using var timer = new PeriodicTimer(options.Value.JobCountInterval);
            do
            {
                try
                {
                    FarmMetrics.ReplaceJobCounts(await CountAsync(stoppingToken));
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Could not count jobs for the jobs gauge; trying again in {Interval}", options.Value.JobCountInterval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<Dictionary<string, int>> CountAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RenderFarmDbContext>();
        var counts = await db.Jobs.AsNoTracking().IgnoreQueryFilters()
            .GroupBy(j => j.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        return Enum.GetValues<JobStatus>().ToDictionary(s => s.ToWire(), s => counts.GetValueOrDefault(s));
    }
}

using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderFarm.Core.Images;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Usage;

/// <summary>
/// GPU-seconds and cost of rendered images, summed in the database by studio, model or day (and device, for the
/// price); the caller's studio filter applies, so a studio sees its own usage and admins everyone's.
/// </summary>
public sealed class UsageQueries(RenderFarmDbContext db, IOptions<UsageOptions> options)
{
    public static readonly string[] Groupings = ["studio", "model", "day"];

    public async Task<UsageReport> GetAsync(DateTimeOffset from, DateTimeOffset to, string groupBy, CancellationToken cancellationToken)
    {
        // Reused images cost nothing and were rendered once already: they are not usage.
        var rendered = db.Images.AsNoTracking().Where(i => i.Status == ImageStatus.Rendered && !i.Reused && i.FinishedAt >= from && i.FinishedAt < to);
        var sums = groupBy switch
        {
            "studio" => await rendered
                .GroupBy(i => new { Key = db.Studios.Where(s => s.Id == i.StudioId).Select(s => s.Name).FirstOrDefault() ?? "(none)", i.Device })
                .Select(g => new Sum(g.Key.Key, g.Key.Device, g.Count(), g.Sum(i => i.RenderMilliseconds ?? 0)))
                .ToListAsync(cancellationToken),
            "model" => await rendered
                .Join(db.Jobs, i => i.JobId, j => j.Id, (i, j) => new { j.Model, i.Device, i.RenderMilliseconds })
                .GroupBy(r => new { r.Model, r.Device })
                .Select(g => new Sum(g.Key.Model, g.Key.Device, g.Count(), g.Sum(r => r.RenderMilliseconds ?? 0)))
                .ToListAsync(cancellationToken),
            _ => (await rendered
                .GroupBy(i => new { i.FinishedAt!.Value.Year, i.FinishedAt!.Value.Month, i.FinishedAt!.Value.Day, i.Device })
                .Select(g => new { g.Key.Year, g.Key.Month, g.Key.Day, g.Key.Device, Images = g.Count(), Milliseconds = g.Sum(i => i.RenderMilliseconds ?? 0) })
                .ToListAsync(cancellationToken))
                .Select(d => new Sum(new DateOnly(d.Year, d.Month, d.Day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Device, d.Images, d.Milliseconds))
                .ToList(),
        };

        var pricing = options.Value;
        var rows = sums
            .GroupBy(s => s.Key)
            .Select(g => new UsageRow(g.Key, g.Sum(s => s.Images), g.Sum(s => s.Milliseconds) / 1000.0, g.Sum(s => pricing.Cost(s.Device, s.Milliseconds))))
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
        var total = new UsageRow("total", rows.Sum(r => r.Images), rows.Sum(r => r.GpuSeconds), rows.Sum(r => r.Cost));
        return new UsageReport(from, to, groupBy, pricing.Currency, rows, total);
    }

    /// <summary>One job's engine time and cost (the job view shows them).</summary>
    public async Task<(double GpuSeconds, decimal Cost)> ForJobAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var byDevice = await db.Images.AsNoTracking()
            .Where(i => i.JobId == jobId && i.RenderMilliseconds != null)
            .GroupBy(i => i.Device)
            .Select(g => new { Device = g.Key, Milliseconds = g.Sum(i => i.RenderMilliseconds ?? 0) })
            .ToListAsync(cancellationToken);
        return (byDevice.Sum(d => d.Milliseconds) / 1000.0, byDevice.Sum(d => options.Value.Cost(d.Device, d.Milliseconds)));
    }

    private sealed record Sum(string Key, string? Device, long Images, long Milliseconds);
}

using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using RenderFarm.Coordinator.Images;
using RenderFarm.Core.Imaging;
using RenderFarm.Core.Storage;
using RenderFarm.Core.Telemetry;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Schedulers;

/// <summary>
/// Lists the image store and finds the objects no image row points to: images whose row was refused, deleted or never
/// written (a crash between a worker's upload and the record), and thumbnails of such images (retention deletes
/// images, not their thumbnails). It reports them (log and <c>store.orphans</c>) and removes those older than
/// <see cref="SchedulingOptions.OrphanGracePeriod"/>, so an upload whose result is still on its way is never removed.
/// </summary>
/// <remarks>
/// Set-based: a page of keys is compared with the database in one query, by the job ids in the keys (indexed) and the
/// keys themselves. Keys outside the farm's layout (<c>jobs/{job}/{index}.{ext}</c> and <c>thumbs/</c> of those) are
/// counted but never removed: the bucket may hold what is not the farm's.
/// </remarks>
[DisallowConcurrentExecution]
public sealed partial class OrphanScanJob(
    RenderFarmDbContext db,
    IImageStore store,
    IOptions<SchedulingOptions> options,
    TimeProvider clock,
    ILogger<OrphanScanJob> logger) : IJob
{
    public async Task Execute(IJobExecutionContext context) => await ScanAsync(context.CancellationToken);

    public async Task<OrphanScanResult> ScanAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var removeBefore = clock.GetUtcNow() - settings.OrphanGracePeriod;
        var (listed, orphans, removed, foreign) = (0, 0, 0, 0);
        var page = new List<StoredObject>(settings.OrphanScanPageSize);
        await foreach (var stored in store.ListAsync("", cancellationToken))
        {
            page.Add(stored);
            if (page.Count == settings.OrphanScanPageSize)
            {
                var result = await ScanPageAsync(page, removeBefore, cancellationToken);
                (listed, orphans, removed, foreign) = (listed + result.Listed, orphans + result.Orphans, removed + result.Removed, foreign + result.Foreign);
                page.Clear();
            }
        }

        if (page.Count > 0)
        {
            var result = await ScanPageAsync(page, removeBefore, cancellationToken);
            (listed, orphans, removed, foreign) = (listed + result.Listed, orphans + result.Orphans, removed + result.Removed, foreign + result.Foreign);
        }

        FarmMetrics.ReportOrphans(orphans);
        if (orphans > 0 || foreign > 0)
        {
            logger.LogWarning(
                "Orphan scan: {Listed} objects in the store, {Orphans} that no image row points to, {Removed} of them removed (older than {Grace}); {Foreign} keys not in the farm's layout left alone",
                listed, orphans, removed, settings.OrphanGracePeriod, foreign);
        }

        return new OrphanScanResult(listed, orphans, removed, foreign);
    }

    private async Task<OrphanScanResult> ScanPageAsync(List<StoredObject> page, DateTimeOffset removeBefore, CancellationToken cancellationToken)
    {
        // Each object's job and the image keys that would make it referenced: its own key, or for a thumbnail the
        // image's key in any format (the thumbnail's name keeps the index, not the original extension).
        var candidates = new List<(StoredObject Object, Guid JobId, string[] ImageKeys)>();
        var foreign = 0;
        foreach (var stored in page)
        {
            var thumbnail = stored.Key.StartsWith(ThumbnailService.KeyPrefix, StringComparison.Ordinal);
            var match = ImageKey().Match(thumbnail ? stored.Key[ThumbnailService.KeyPrefix.Length..] : stored.Key);
            if (!match.Success || !Guid.TryParse(match.Groups["job"].Value, out var jobId))
            {
                foreign++;
                continue;
            }

            candidates.Add(thumbnail
                ? (stored, jobId, [.. Enum.GetValues<ImageFormat>().Select(f => $"jobs/{match.Groups["job"].Value}/{match.Groups["index"].Value}.{f.Extension()}")])
                : (stored, jobId, [stored.Key]));
        }

        var jobIds = candidates.Select(c => c.JobId).Distinct().ToList();
        var keys = candidates.SelectMany(c => c.ImageKeys).Distinct().ToList();
        var referenced = keys.Count == 0
            ? []
            : (await db.Images.AsNoTracking().IgnoreQueryFilters()
                .Where(i => jobIds.Contains(i.JobId) && i.ObjectKey != null && keys.Contains(i.ObjectKey))
                .Select(i => i.ObjectKey!)
                .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

        var orphans = candidates.Where(c => !c.ImageKeys.Any(referenced.Contains)).Select(c => c.Object).ToList();
        var expired = orphans.Where(o => o.LastModified < removeBefore).Select(o => o.Key).ToList();
        if (expired.Count > 0)
        {
            await store.DeleteAsync(expired, cancellationToken);
            FarmMetrics.OrphansRemoved.Add(expired.Count);
            logger.LogInformation("Orphan scan removed {Count} objects no image row points to, e.g. {Key}", expired.Count, expired[0]);
        }

        return new OrphanScanResult(page.Count, orphans.Count, expired.Count, foreign);
    }

    [GeneratedRegex(@"^jobs/(?<job>[0-9a-fA-F-]{36})/(?<index>\d+)\.[a-z]+$")]
    private static partial Regex ImageKey();
}

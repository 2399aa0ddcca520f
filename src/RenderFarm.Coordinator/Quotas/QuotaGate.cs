using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderFarm.Core.Images;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Quotas;

/// <summary>Checks a studio's quotas before a job of <c>images</c> is written; the caller holds the studio's row lock.</summary>
public sealed class QuotaGate(RenderFarmDbContext db, IOptions<QuotaOptions> defaults, TimeProvider clock)
{
    /// <summary>Null when the job fits; otherwise the first quota it would break.</summary>
    public async Task<QuotaRefusal?> CheckAsync(Guid studioId, int images, CancellationToken cancellationToken)
    {
        var farm = defaults.Value;
        var studio = await db.Studios.AsNoTracking().SingleAsync(s => s.Id == studioId, cancellationToken);
        var now = clock.GetUtcNow();

        if ((studio.MaxImagesPerJob ?? farm.MaxImagesPerJob) is { } perJob && images > perJob)
        {
            return new QuotaRefusal("maxImagesPerJob", perJob, 0, images, RetryAfter: null);
        }

        var studioImages = db.Images.IgnoreQueryFilters().Where(i => i.StudioId == studioId);
        if ((studio.MaxQueuedImages ?? farm.MaxQueuedImages) is { } queuedLimit)
        {
            var queued = await studioImages.CountAsync(i => i.Status == ImageStatus.Pending || i.Status == ImageStatus.Dispatched, cancellationToken);
            if (queued + images > queuedLimit)
            {
                return new QuotaRefusal("maxQueuedImages", queuedLimit, queued, images, RetryAfter: null);
            }
        }

        if ((studio.MaxImagesPerDay ?? farm.MaxImagesPerDay) is { } dayLimit)
        {
            var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
            var today = await db.Jobs.IgnoreQueryFilters().Where(j => j.StudioId == studioId && j.CreatedAt >= day).SumAsync(j => (long)j.ImageCount, cancellationToken);
            if (today + images > dayLimit)
            {
                return new QuotaRefusal("maxImagesPerDay", dayLimit, today, images, day.AddDays(1) - now);
            }
        }

        if ((studio.MaxGpuSecondsPerMonth ?? farm.MaxGpuSecondsPerMonth) is { } gpuLimit)
        {
            var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
            var used = await studioImages.Where(i => i.FinishedAt >= month).SumAsync(i => i.RenderMilliseconds ?? 0, cancellationToken) / 1000;
            if (used >= gpuLimit)
            {
                return new QuotaRefusal("maxGpuSecondsPerMonth", gpuLimit, used, 0, month.AddMonths(1) - now);
            }
        }

        return null;
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Core.Images;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Worker.Rendering;

/// <summary>Writes render outcomes to the image rows. Every write is conditional, so a redelivered message changes nothing.</summary>
public sealed class ImageRecorder(RenderFarmDbContext db, IOptions<WorkerOptions> options, TimeProvider clock)
{
    /// <summary>The images of <paramref name="messages"/> still worth rendering: not finished, failed or cancelled meanwhile.</summary>
    public async Task<IReadOnlyList<RenderImage>> SelectOpenAsync(IReadOnlyList<RenderImage> messages, CancellationToken cancellationToken)
    {
        var ids = messages.Select(m => m.ImageId).ToList();
        var open = await db.Images
            .Where(i => ids.Contains(i.Id) && (i.Status == ImageStatus.Pending || i.Status == ImageStatus.Dispatched))
            .Select(i => i.Id)
            .ToListAsync(cancellationToken);
        return messages.Where(m => open.Contains(m.ImageId)).ToList();
    }

    /// <returns>False when the image was already finished or cancelled, so nothing is announced twice.</returns>
    public async Task<bool> RecordRenderedAsync(RenderImage message, string objectKey, string contentType, long bytes, long renderMilliseconds, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var workerId = options.Value.Id;
        var updated = await db.Images
            .Where(i => i.Id == message.ImageId && (i.Status == ImageStatus.Pending || i.Status == ImageStatus.Dispatched))
            .ExecuteUpdateAsync(
                s => s.SetProperty(i => i.Status, ImageStatus.Rendered)
                    .SetProperty(i => i.ObjectKey, objectKey)
                    .SetProperty(i => i.ContentType, contentType)
                    .SetProperty(i => i.Bytes, bytes)
                    .SetProperty(i => i.RenderMilliseconds, renderMilliseconds)
                    .SetProperty(i => i.WorkerId, workerId)
                    .SetProperty(i => i.Attempts, i => i.Attempts + 1)
                    .SetProperty(i => i.Error, (string?)null)
                    .SetProperty(i => i.FinishedAt, now),
                cancellationToken);
        return updated > 0;
    }

    /// <summary>Counts a failed attempt: the image goes back to pending for another try, or fails for good after the last.</summary>
    /// <returns>The number of attempts when this was the last one, otherwise null.</returns>
    public async Task<int?> RecordFailureAsync(RenderImage message, string error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var workerId = options.Value.Id;
        var maxAttempts = options.Value.MaxAttempts;
        var updated = await db.Images
            .Where(i => i.Id == message.ImageId && (i.Status == ImageStatus.Pending || i.Status == ImageStatus.Dispatched))
            .ExecuteUpdateAsync(
                s => s.SetProperty(i => i.Attempts, i => i.Attempts + 1)
                    .SetProperty(i => i.Error, error)
                    .SetProperty(i => i.WorkerId, workerId)
                    .SetProperty(i => i.Status, i => i.Attempts + 1 >= maxAttempts ? ImageStatus.Failed : ImageStatus.Pending)
                    .SetProperty(i => i.FinishedAt, i => i.Attempts + 1 >= maxAttempts ? now : (DateTimeOffset?)null),
                cancellationToken);
        if (updated == 0)
        {
            return null;
        }

        var image = await db.Images.AsNoTracking().SingleAsync(i => i.Id == message.ImageId, cancellationToken);
        return image.Status == ImageStatus.Failed ? image.Attempts : null;
    }
}

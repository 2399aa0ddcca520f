using Microsoft.EntityFrameworkCore;
using RenderFarm.Core.Images;

namespace RenderFarm.Coordinator.Schedulers;

/// <summary>
/// Charges images an attempt for a delivery lost with its worker, the rule the reaper and the lost-image job share:
/// every delivery counts, so an image that kills every worker taking it fails after the attempt limit.
/// </summary>
public static class LostDeliveries
{
    /// <param name="images">The dispatched images whose delivery was lost.</param>
    /// <param name="redelivered">The broker gives their messages to another worker, so they stay dispatched; otherwise the messages are gone and they go back to pending.</param>
    /// <returns>How many were charged, and those that failed for good (to broadcast, so workers skip their messages).</returns>
    public static async Task<(int Charged, List<Guid> Failed)> ChargeAsync(
        IQueryable<JobImage> images, string error, int maxAttempts, bool redelivered, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var failed = await images.Where(i => i.Attempts + 1 >= maxAttempts).Select(i => i.Id).ToListAsync(cancellationToken);
        var retried = redelivered ? ImageStatus.Dispatched : ImageStatus.Pending;
        var charged = await images.ExecuteUpdateAsync(
            s => s.SetProperty(i => i.Attempts, i => i.Attempts + 1)
                .SetProperty(i => i.Error, error)
                .SetProperty(i => i.Status, i => i.Attempts + 1 >= maxAttempts ? ImageStatus.Failed : retried)
                .SetProperty(i => i.FinishedAt, i => i.Attempts + 1 >= maxAttempts ? now : (DateTimeOffset?)null)
                .SetProperty(i => i.DispatchedAt, i => redelivered ? i.DispatchedAt : null),
            cancellationToken);
        return (charged, failed);
    }
}

using RenderFarm.Core.Workers;

namespace RenderFarm.Core.Dispatch;

/// <summary>
/// Finds dispatched images whose message is nowhere: not held by any live worker, and not waiting on the broker
/// either, because every active worker of the model said — long enough after the dispatch for the message to reach it —
/// that it held fewer messages than it takes (so the broker had none left for it). Such an image was lost on the way
/// (a send the broker never kept, a message dropped to an error queue) and waits for nobody: it goes back to pending.
/// </summary>
public static class LostImages
{
    /// <param name="images">Dispatched images.</param>
    /// <param name="live">The workers heard from within the worker expiry.</param>
    /// <param name="lostAfter">How long after its dispatch an image may be missing before it counts as lost; heartbeats must be at least half this younger than the dispatch.</param>
    public static IReadOnlyList<Guid> Find(IEnumerable<DispatchedImage> images, IReadOnlyCollection<WorkerRecord> live, DateTimeOffset now, TimeSpan lostAfter)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(live);
        var held = live.SelectMany(w => w.Holding).ToHashSet();
        var lost = new List<Guid>();
        foreach (var image in images)
        {
            if (now - image.DispatchedAt < lostAfter || held.Contains(image.Id))
            {
                continue;
            }

            // With no active worker for the model, its messages wait on the broker for the next one: not lost.
            var serving = live.Where(w => w.State == WorkerStates.Active && w.Models.Contains(image.Model)).ToList();
            var reportedSince = image.DispatchedAt + (lostAfter / 2);
            if (serving.Count > 0 && serving.All(w => w.HoldingReportedAt >= reportedSince && w.Holding.Count < w.HoldingCapacity))
            {
                lost.Add(image.Id);
            }
        }

        return lost;
    }
}

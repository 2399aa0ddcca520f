using System.Collections.Concurrent;
using RenderFarm.Contracts;

namespace RenderFarm.Worker.Rendering;

/// <summary>
/// What the coordinator has given up on, as it broadcasts it: jobs cancelled and images failed for good (a poison
/// image that cost its workers). Their messages still queued or in a batch are skipped — a poison image's message,
/// still going round the broker, no longer kills the workers that know — and nothing of them is uploaded. Entries
/// are forgotten after a day, long after any message of them could arrive.
/// </summary>
public sealed class SkippedWork(TimeProvider clock)
{
    private static readonly TimeSpan Remembered = TimeSpan.FromDays(1);

    // Job and image ids share one set: both are GUIDs, which do not collide.
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _ids = new();

    public void Add(IEnumerable<Guid> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var now = clock.GetUtcNow();
        foreach (var id in ids)
        {
            _ids[id] = now;
        }

        foreach (var (id, at) in _ids)
        {
            if (now - at > Remembered)
            {
                _ids.TryRemove(id, out _);
            }
        }
    }

    public bool Skips(RenderImage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _ids.ContainsKey(message.JobId) || _ids.ContainsKey(message.ImageId);
    }
}

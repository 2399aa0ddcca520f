using System.Collections.Concurrent;

namespace RenderFarm.Worker.Rendering;

/// <summary>
/// Jobs cancelled recently, as broadcast by the coordinator: their images still queued or in a batch are skipped,
/// and none of them is uploaded. Entries are forgotten after a day, long after any message of the job could arrive.
/// </summary>
public sealed class CancelledJobs(TimeProvider clock)
{
    private static readonly TimeSpan Remembered = TimeSpan.FromDays(1);
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _jobs = new();

    public void Add(Guid jobId)
    {
        var now = clock.GetUtcNow();
        _jobs[jobId] = now;
        foreach (var (id, at) in _jobs)
        {
            if (now - at > Remembered)
            {
                _jobs.TryRemove(id, out _);
            }
        }
    }

    public bool Contains(Guid jobId) => _jobs.ContainsKey(jobId);
}

using System.Collections.Concurrent;

namespace RenderFarm.Coordinator.Events;

/// <summary>
/// The latest engine step of each job's images, as this replica heard it (every replica hears every worker's
/// progress), for job views that are polled (the CLI, the jobs list). Kept in memory only, and shown while fresh:
/// progress older than a few seconds belongs to a batch that has finished.
/// </summary>
public sealed class JobStepProgress(TimeProvider time)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<Guid, (int Step, int TotalSteps, long At)> _jobs = new();

    public void Record(Guid jobId, int step, int totalSteps)
    {
        _jobs[jobId] = (step, totalSteps, time.GetTimestamp());
        if (_jobs.Count > 10_000)
        {
            foreach (var stale in _jobs.Where(j => time.GetElapsedTime(j.Value.At) > Fresh).Select(j => j.Key).ToList())
            {
                _jobs.TryRemove(stale, out _);
            }
        }
    }

    /// <returns>The step and step count the job's images were last seen at in an engine, or null when not recently.</returns>
    public (int Step, int TotalSteps)? Get(Guid jobId) =>
        _jobs.TryGetValue(jobId, out var p) && time.GetElapsedTime(p.At) <= Fresh ? (p.Step, p.TotalSteps) : null;
}

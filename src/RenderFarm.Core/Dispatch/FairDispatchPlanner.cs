namespace RenderFarm.Core.Dispatch;

/// <summary>
/// Decides how many images of each job to send next. Higher priorities are served first; within a priority the
/// jobs take turns <c>unit</c> images at a time (a worker's batch size, so that a small job's images
/// share one engine call), the job served longest ago (or never) first, so a small job submitted behind a huge one
/// gets its images into the very next dispatch. No job has more than its window in flight.
/// </summary>
public static class FairDispatchPlanner
{
    public static IReadOnlyList<(Guid JobId, int Count)> Plan(IEnumerable<JobDemand> demands, int capacity, int windowPerJob, int unit = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowPerJob);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(unit);

        var plan = new List<(Guid JobId, int Count)>();
        var tiers = demands
            .Where(d => d.Pending > 0)
            .GroupBy(d => d.Priority)
            .OrderByDescending(g => g.Key);

        foreach (var tier in tiers)
        {
            if (capacity == 0)
            {
                break;
            }

            var jobs = tier
                .OrderBy(d => d.LastDispatchedAt ?? DateTimeOffset.MinValue)
                .ThenBy(d => d.CreatedAt)
                .ThenBy(d => d.JobId)
                .ToArray();
            var allowance = jobs.Select(d => Math.Min(d.Pending, Math.Max(0, windowPerJob - d.InFlight))).ToArray();
            var granted = new int[jobs.Length];

            var progress = true;
            while (capacity > 0 && progress)
            {
                progress = false;
                for (var i = 0; i < jobs.Length && capacity > 0; i++)
                {
                    var turn = Math.Min(unit, Math.Min(allowance[i] - granted[i], capacity));
                    if (turn > 0)
                    {
                        granted[i] += turn;
                        capacity -= turn;
                        progress = true;
                    }
                }
            }

            for (var i = 0; i < jobs.Length; i++)
            {
                if (granted[i] > 0)
                {
                    plan.Add((jobs[i].JobId, granted[i]));
                }
            }
        }

        return plan;
    }
}

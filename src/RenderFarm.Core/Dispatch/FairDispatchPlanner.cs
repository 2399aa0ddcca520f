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
                .OrderBy(d => d.AtRiskDeadline ?? DateTimeOffset.MaxValue)
                .ThenBy(d => d.LastDispatchedAt ?? DateTimeOffset.MinValue)
                .ThenBy(d => d.CreatedAt)
                .ThenBy(d => d.JobId)
                .ToArray();
            var allowance = jobs.Select(d => Math.Min(d.Pending, Math.Max(0, windowPerJob - d.InFlight))).ToArray();
            var granted = new int[jobs.Length];

            // Jobs at risk of missing their deadline take what their window allows first, earliest deadline first;
            // the others then take turns in what is left (they still get the room the urgent ones cannot use).
            for (var i = 0; i < jobs.Length && capacity > 0 && jobs[i].AtRiskDeadline is not null; i++)
            {
                granted[i] = Math.Min(allowance[i], capacity);
                capacity -= granted[i];
            }

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

    /// <summary>
    /// Plans one dispatch round across studios: the room under the model's <paramref name="target"/> (refilled in
    /// quarters, as <see cref="PlanRound"/> does) goes a batch at a time to the studio furthest behind its share of what
    /// was dispatched (<see cref="StudioShareLedger"/>), and each studio's part to its jobs as <see cref="PlanRound"/>
    /// decides (priorities, turns, a fresh job's lane). A studio that submits 10,000 images thus cannot starve another's
    /// 10, and saturated studios are served in proportion to their shares.
    /// </summary>
    public static IReadOnlyList<(Guid JobId, int Count)> PlanStudios(
        IReadOnlyCollection<JobDemand> demands, int target, int windowPerJob, int unit, int lane, StudioShareLedger ledger, string pool)
    {
        var studios = demands.GroupBy(d => d.StudioId).ToList();
        if (studios.Count == 1)
        {
            return PlanRound(demands, target, windowPerJob, unit, lane);
        }

        var room = target - demands.Sum(d => d.InFlight);
        var parts = room >= Math.Max(1, target / 4)
            ? ledger.Split(pool, [.. studios.Select(s => (s.Key, s.First().Share, s.Sum(d => Math.Min(d.Pending, Math.Max(0, windowPerJob - d.InFlight)))))], room, unit)
            : new int[studios.Count];
        return [.. studios.SelectMany((studio, i) => PlanRound([.. studio], studio.Sum(d => d.InFlight) + parts[i], windowPerJob, unit, lane, refillAt: 1))];
    }

    /// <summary>
    /// Plans one dispatch round of a model whose workers should hold <paramref name="target"/> images. Each priority
    /// tier, highest first, may fill the target counting only images in flight at its own or a higher priority:
    /// workers take higher priorities first, so lower ones already queued do not hold it back. On top of that a job
    /// with nothing in flight gets one turn at once, beyond the target by at most <paramref name="lane"/> images, so
    /// that a new job waits for the batch in the engine, not for the queue to drain. A tier is refilled only once a
    /// quarter of the target is free, so a fast farm dispatches in rounds of many images instead of one batch each
    /// (the workers still hold three quarters of their target meanwhile).
    /// </summary>
    /// <param name="refillAt">The room a tier needs before it is refilled; a quarter of the target when not given.</param>
    public static IReadOnlyList<(Guid JobId, int Count)> PlanRound(IReadOnlyCollection<JobDemand> demands, int target, int windowPerJob, int unit, int lane, int? refillAt = null)
    {
        var plan = new List<(Guid JobId, int Count)>();
        var granted = 0;
        var minimumRoom = refillAt ?? Math.Max(1, target / 4);
        foreach (var tier in demands.GroupBy(d => d.Priority).OrderByDescending(g => g.Key))
        {
            var room = target - demands.Where(d => d.Priority >= tier.Key).Sum(d => d.InFlight) - granted;
            if (room >= minimumRoom)
            {
                var tierPlan = Plan(tier, room, windowPerJob, unit);
                plan.AddRange(tierPlan);
                granted += tierPlan.Sum(p => p.Count);
            }
        }

        var overshoot = Math.Max(0, demands.Sum(d => d.InFlight) + granted - target);
        // New jobs only: a job that has had its turns and has nothing in flight now waits for room like the others, so
        // the lane never leaks capacity past jobs at risk of their deadline.
        var fresh = demands.Where(d => d.InFlight == 0 && d.LastDispatchedAt is null && plan.All(p => p.JobId != d.JobId)).ToList();
        if (lane > overshoot && fresh.Count > 0)
        {
            plan.AddRange(Plan(fresh, lane - overshoot, windowPerJob, unit));
        }

        return plan;
    }
}

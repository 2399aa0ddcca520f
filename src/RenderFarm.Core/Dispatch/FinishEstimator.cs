namespace RenderFarm.Core.Dispatch;

/// <summary>
/// Estimates unfinished jobs' finish times from each model's measured throughput and the order the dispatcher serves
/// them in: higher priorities first, and within a priority turns, so a job finishes once it and every job of its tier
/// has had as many images as it needs (processor sharing) — the images of higher tiers all go first.
/// </summary>
public static class FinishEstimator
{
    /// <param name="imagesPerSecond">Each model's measured throughput; a model without one gets no estimate.</param>
    public static Dictionary<Guid, JobEstimate> Estimate(IReadOnlyCollection<JobBacklog> jobs, IReadOnlyDictionary<string, double> imagesPerSecond, DateTimeOffset now)
    {
        var estimates = new Dictionary<Guid, JobEstimate>(jobs.Count);
        foreach (var model in jobs.GroupBy(j => j.Model))
        {
            if (!imagesPerSecond.TryGetValue(model.Key, out var rate) || rate <= 0)
            {
                foreach (var job in model)
                {
                    estimates[job.JobId] = new JobEstimate(null, false, false);
                }

                continue;
            }

            var all = model.ToList();
            foreach (var job in all)
            {
                var ahead = all.Where(k => k.Priority > job.Priority).Sum(k => (double)k.Remaining)
                    + all.Where(k => k.Priority == job.Priority).Sum(k => (double)Math.Min(k.Remaining, job.Remaining));
                var eta = now + TimeSpan.FromSeconds(ahead / rate);
                var alone = now + TimeSpan.FromSeconds(job.Remaining / rate);
                estimates[job.JobId] = new JobEstimate(eta, job.Deadline < eta, job.Deadline < alone);
            }
        }

        return estimates;
    }
}

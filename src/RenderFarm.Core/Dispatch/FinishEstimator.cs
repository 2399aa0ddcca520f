namespace RenderFarm.Core.Dispatch;

/// <summary>
/// Estimates unfinished jobs' finish times from each model's measured throughput and the order the dispatcher serves
/// them in: higher priorities first, and within a priority turns, so a job finishes once it and every job of its tier
/// has had as many images as it needs (processor sharing) — the images of higher tiers all go first.
/// </summary>
public static class FinishEstimator
{
    /// <summary>
    /// A model's pace from its recent images: images finished per second of the time the farm had some of them in
    /// flight. Spans with nothing in flight (between one job's end and the next one's dispatch) say nothing about the
    /// pace and would make every estimate read after a pause too late; null when the images span no busy time.
    /// </summary>
    public static double? ImagesPerSecond(IReadOnlyCollection<(DateTimeOffset Dispatched, DateTimeOffset Finished)> images)
    {
        if (images.Count < 2)
        {
            return null;
        }

        // Counted from the first finish: the pipeline's fill before it is latency, not pace.
        var from = images.Min(i => i.Finished);
        var to = images.Max(i => i.Finished);
        var busy = TimeSpan.Zero;
        var (start, end) = (from, from);
        foreach (var (dispatched, finished) in images.OrderBy(i => i.Dispatched))
        {
            var (s, e) = (Clamp(dispatched, from, to), Clamp(finished, from, to));
            if (s > end)
            {
                busy += end - start;
                start = s;
            }

            end = e > end ? e : end;
        }

        busy += end - start;
        // The images that finished with the first (a whole batch) were rendered before the time counted.
        return busy > TimeSpan.Zero ? images.Count(i => i.Finished > from) / busy.TotalSeconds : null;
    }

    private static DateTimeOffset Clamp(DateTimeOffset value, DateTimeOffset min, DateTimeOffset max) =>
        value < min ? min : value > max ? max : value;

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

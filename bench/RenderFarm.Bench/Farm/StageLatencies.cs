namespace RenderFarm.Bench.Farm;

/// <summary>Where an image's time goes, stage by stage, from the database's timestamps.</summary>
/// <param name="Queued">Job created → image dispatched (per image): waiting for the dispatcher.</param>
/// <param name="InFlight">Image dispatched → image finished (per image): bus, batching, engine, encode, upload, recording.</param>
/// <param name="Finalise">Job's last image finished → job finished (per job).</param>
/// <param name="Job">Job created → job finished (per job).</param>
public sealed record StageLatencies(Percentiles Queued, Percentiles InFlight, Percentiles Finalise, Percentiles Job)
{
    public static StageLatencies Of(IReadOnlyList<JobTimeline> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var images = jobs.SelectMany(j => j.Images.Select(i => (Job: j, Image: i))).ToList();
        return new(
            Percentiles.Of(images.Where(x => x.Image.DispatchedAt is not null).Select(x => Milliseconds(x.Job.CreatedAt, x.Image.DispatchedAt!.Value))),
            Percentiles.Of(images.Where(x => x.Image is { DispatchedAt: not null, FinishedAt: not null }).Select(x => Milliseconds(x.Image.DispatchedAt!.Value, x.Image.FinishedAt!.Value))),
            Percentiles.Of(jobs.Select(j => j.Finalising).OfType<TimeSpan>().Select(t => t.TotalMilliseconds)),
            Percentiles.Of(jobs.Where(j => j.FinishedAt is not null).Select(j => Milliseconds(j.CreatedAt, j.FinishedAt!.Value))));
    }

    public static StageLatencies Median(IEnumerable<StageLatencies> runs)
    {
        var list = runs.ToList();
        return new(
            Percentiles.Median(list.Select(r => r.Queued)),
            Percentiles.Median(list.Select(r => r.InFlight)),
            Percentiles.Median(list.Select(r => r.Finalise)),
            Percentiles.Median(list.Select(r => r.Job)));
    }

    private static double Milliseconds(DateTimeOffset from, DateTimeOffset to) => (to - from).TotalMilliseconds;
}

namespace RenderFarm.Bench.Farm;

/// <summary>
/// A big job fills the farm; once it is rendering, a small job is submitted. How long the small job takes, counted in
/// batch times, says how fair dispatch is and how much of the big job already sits in queues ahead of it.
/// </summary>
public static class SmallJobScenario
{
    public static async Task<SmallJobSample> RunAsync(BenchServers servers, FarmSpec spec, int bigImages, int smallImages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Engine.Latency == EngineLatency.Zero)
        {
            throw new ArgumentException("The small-job scenario needs an engine with a latency: a batch time is its unit.", nameof(spec));
        }

        await using var farm = await BenchFarm.StartAsync(servers, spec, cancellationToken);
        var timeout = TimeSpan.FromMinutes(5);
        var big = await farm.Api.SubmitAsync(BenchJobs.Of(farm.Settings.Model, bigImages, "big"), cancellationToken);

        // Rendering means the dispatcher has filled the queues and workers' prefetch with the big job: the case to measure.
        var progress = await farm.Api.WaitUntilAsync(big, j => j.Completed > 0, farm.Failed, timeout, cancellationToken);
        var small = await farm.Api.SubmitAsync(BenchJobs.Of(farm.Settings.Model, smallImages, "small"), cancellationToken);
        await farm.Api.WaitFinishedAsync([small], farm.Failed, timeout, cancellationToken);
        await farm.Api.CancelAsync(big, cancellationToken);

        var timeline = (await FarmDatabase.ReadTimelinesAsync(farm.ConnectionString, cancellationToken)).Single(j => j.Id == small);
        farm.Succeeded();
        return new SmallJobSample(
            spec.Engine,
            spec.Workers,
            bigImages,
            smallImages,
            progress.Completed,
            farm.BatchTime.TotalMilliseconds,
            (timeline.FirstDispatchedAt - timeline.CreatedAt)?.TotalMilliseconds,
            (timeline.FinishedAt!.Value - timeline.CreatedAt).TotalMilliseconds,
            timeline.Finalising!.Value.TotalMilliseconds);
    }
}

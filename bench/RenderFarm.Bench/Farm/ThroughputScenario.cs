using System.Diagnostics;

namespace RenderFarm.Bench.Farm;

/// <summary>N jobs × M images through the HTTP API on a fresh farm; measures images/s, CPU per image, engine use and stage latencies.</summary>
public static class ThroughputScenario
{
    /// <param name="warmUpImages">A job rendered first and left out of every figure, so that start-up (JIT, connection pools, queues) is not measured.</param>
    /// <param name="warmUpTime">
    /// After that job, rounds shaped like the measured one (the same jobs × images) until this long after the farm
    /// started, also left out: .NET's tiered JIT keeps recompiling hot code for about a minute under load, so a short
    /// warm-up measures a fresh process and a long one the farm that has run for a while.
    /// </param>
    public static async Task<ThroughputSample> RunAsync(
        BenchServers servers, FarmSpec spec, int jobs, int imagesPerJob, int warmUpImages, TimeSpan warmUpTime, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        await using var farm = await BenchFarm.StartAsync(servers, spec, cancellationToken);
        var images = jobs * imagesPerJob;
        TimeSpan? warmUpJob = null;
        if (warmUpImages > 0)
        {
            var rendering = Stopwatch.StartNew();
            var warmUp = await farm.Api.SubmitAsync(BenchJobs.Of(farm.Settings.Model, warmUpImages, "warm-up"), cancellationToken);
            await farm.Api.WaitFinishedAsync([warmUp], farm.Failed, TimeSpan.FromMinutes(5), cancellationToken);
            warmUpJob = rendering.Elapsed;
        }

        var startCpu = farm.ReadCpu();
        var startUp = new FarmStartUp(farm.CoordinatorReady, farm.WorkersReady, warmUpJob, startCpu.Coordinator + startCpu.Workers);

        // Generous: a control plane slower than 5 images/s is a finding in itself, not worth waiting longer for.
        async Task<List<Guid>> RenderRoundAsync(string label)
        {
            var round = new List<Guid>();
            for (var j = 0; j < jobs; j++)
            {
                round.Add(await farm.Api.SubmitAsync(BenchJobs.Of(farm.Settings.Model, imagesPerJob, $"{label} {j}"), cancellationToken));
            }

            await farm.Api.WaitFinishedAsync(round, farm.Failed, TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(images / 5.0), cancellationToken);
            return round;
        }

        // Each round its own prompts: a round repeating the last one's would be reused at submission, not rendered.
        for (var round = 1; started.Elapsed < warmUpTime; round++)
        {
            await RenderRoundAsync($"warm-up {round}");
        }

        var usageBefore = await farm.ReadEngineUsageAsync();
        var before = farm.ReadCpu();
        var ids = await RenderRoundAsync("job");
        var cpu = farm.ReadCpu().Minus(before);
        var usageAfter = await farm.StopWorkersAsync();
        var usage = usageBefore is null || usageAfter is null ? null : usageAfter.Minus(usageBefore);

        var timelines = (await FarmDatabase.ReadTimelinesAsync(farm.ConnectionString, cancellationToken)).Where(j => ids.Contains(j.Id)).ToList();
        var unfinished = timelines.Sum(j => j.Images.Count(i => i.FinishedAt is null));
        if (unfinished > 0)
        {
            Console.Error.WriteLine($"bench: {unfinished} of {images} images did not finish (failed or cancelled); figures count all {images}");
        }

        var seconds = (timelines.Max(j => j.FinishedAt!.Value) - timelines.Min(j => j.CreatedAt)).TotalSeconds;
        farm.Succeeded();
        return new ThroughputSample(spec.Engine, spec.Workers, images, seconds, cpu, usage, LatenciesOf(timelines), farm.Settings.WorkerBatchSize, startUp, warmUpImages);
    }

    private static StageLatencies? LatenciesOf(IReadOnlyList<JobTimeline> timelines) =>
        timelines.All(j => j.Images.All(i => i.DispatchedAt is null)) ? null : StageLatencies.Of(timelines);
}

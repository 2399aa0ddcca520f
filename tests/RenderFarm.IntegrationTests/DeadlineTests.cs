using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Jobs;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>Deadlines on the real servers with a fixed-latency engine: estimates, earliest-deadline-first, early warnings.</summary>
public sealed class DeadlineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_estimate_of_a_steady_farm_is_within_15_percent_of_the_actual_finish()
    {
        // An engine slow enough to set the pace, as a GPU does, rather than this machine's load on the farm's own work.
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(100));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine]);

        // The farm's pace is measured from what it rendered: a first job sets it.
        var warmUp = await farm.SubmitAsync(new JobRequest { Prompts = ["warm-up"], Count = 200 });
        await farm.WaitForJobAsync(warmUp.Id, j => j.Status == "completed", Patience);

        // An estimate foresees the pace the farm keeps (its engine idle ~3 % of the time here), not a stall of this shared
        // machine that leaves the engine idle for longer (CI once: estimated 8.0 s, took 9.7 s; not reproduced here
        // alone, beside two busy loops or in the whole suite), nor the machine changing speed under it: the engine's
        // 100 ms calls took longer while the pace was measured than after (the whole suite once: estimated 9.1 s, took
        // 7.9 s, engine idle 0.1 s). Such a run is measured again, and reported if it recurs.
        var runs = new List<string>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var (predicted, actual, idle, speedChange) = await MeasureEstimateAsync(farm, engine);
            runs.Add($"estimated {predicted:0.0} s, took {actual:0.0} s, engine idle {idle:0.0} s, engine calls {speedChange:+0%;-0%} against the paced ones");
            if (idle <= 0.1 * actual && Math.Abs(speedChange) <= 0.05)
            {
                Assert.True(Math.Abs(predicted - actual) <= 0.15 * actual, string.Join("; ", runs));
                return;
            }
        }

        Assert.Fail($"the machine did not keep the farm steady in any run: {string.Join("; ", runs)}");
    }

    /// <summary>
    /// Seconds a job's estimate gave once it ran steadily, seconds it then took, the engine's idle seconds in that time,
    /// and how much longer (or shorter: negative) its calls then took than those of the images the pace was read from.
    /// </summary>
    private static async Task<(double Predicted, double Actual, double Idle, double SpeedChange)> MeasureEstimateAsync(TestFarm farm, TestPatternImageGenerator engine)
    {
        // A pause, as between an operator's submissions (under CI's load the gap alone was once 23 % of the estimate):
        // the pace is the farm's while it has work, not diluted by the idle time.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var job = await farm.SubmitAsync(new JobRequest { Prompts = ["measured"], Count = 400, Deadline = DateTimeOffset.UtcNow.AddHours(1) });
        Assert.Equal(false, job.AtRisk);
        Assert.NotNull(job.Eta);

        // Read again once the job runs steadily: what the job view says is what an operator sees.
        var running = await farm.WaitForJobAsync(job.Id, j => j.Completed >= 80, Patience);
        var asked = DateTimeOffset.UtcNow;
        var finished = await farm.WaitForJobAsync(job.Id, j => j.Status == "completed", Patience);

        var busy = engine.Calls.Where(c => c.Ended > asked && c.Started < finished.FinishedAt)
            .Sum(c => (Min(c.Ended, finished.FinishedAt!.Value) - Max(c.Started, asked)).TotalSeconds);
        var actual = (finished.FinishedAt!.Value - asked).TotalSeconds;

        // The estimator reads its pace from the last 256 images; at 4 images a call, the 64 calls before the question.
        var calls = engine.Calls.ToList();
        var paced = MeanSeconds(calls.Where(c => c.Ended <= asked).TakeLast(64));
        var after = MeanSeconds(calls.Where(c => c.Started >= asked && c.Ended <= finished.FinishedAt));
        return ((running.Eta!.Value - asked).TotalSeconds, actual, actual - busy, (after / paced) - 1);
    }

    private static double MeanSeconds(IEnumerable<(DateTimeOffset Started, DateTimeOffset Ended)> calls) =>
        calls.Average(c => (c.Ended - c.Started).TotalSeconds);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    [Fact]
    public async Task Of_two_jobs_that_cannot_both_make_it_the_nearer_deadline_finishes_first_and_the_hopeless_one_is_flagged_at_once()
    {
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(40))]);
        var warmUp = await farm.SubmitAsync(new JobRequest { Prompts = ["warm-up"], Count = 200 });
        var pace = await SteadyPaceAsync(farm, warmUp.Id);

        // Each alone fits its deadline; sharing the worker turn by turn, neither would. Submitted later-deadline first.
        var now = DateTimeOffset.UtcNow;
        var later = await farm.SubmitAsync(new JobRequest { Prompts = ["later"], Count = 200, Deadline = now.AddSeconds(200 / pace * 1.9) });
        var sooner = await farm.SubmitAsync(new JobRequest { Prompts = ["sooner"], Count = 200, Deadline = now.AddSeconds(200 / pace * 1.4) });
        Assert.True(sooner.AtRisk, $"{sooner} at {pace:0.0} images/s");

        await farm.WaitForJobAsync(sooner.Id, j => j.Status == "completed", Patience);
        var laterWhenSoonerDone = await farm.GetJobAsync(later.Id);
        // Taking turns, both would end together (the later one submitted first, ahead if anything).
        Assert.True(laterWhenSoonerDone.Completed <= 170, $"the later job had {laterWhenSoonerDone.Completed} of 200 when the sooner one finished");
        await farm.WaitForJobAsync(later.Id, j => j.Status == "completed", Patience);

        // Hopeless: 500 images due in a second. Announced on the event stream as soon as the dispatcher sees it.
        using var cancel = new CancellationTokenSource(Patience);
        await using var stream = await EventStream.OpenAsync(farm.Api, jobId: null, cancel.Token);
        var hopeless = await farm.SubmitAsync(new JobRequest
        {
            Prompts = ["hopeless"], Count = 500, Deadline = DateTimeOffset.UtcNow.AddSeconds(1), Webhook = "https://hooks.example/farm", WebhookSecret = "sixteen-characters",
        });
        Assert.Equal(true, hopeless.AtRisk);
        var warning = Assert.Single(await stream.ReadAsync(e => e.Type == "jobAtRisk", 1, cancel.Token));
        Assert.Equal(hopeless.Id, warning.Data.GetProperty("jobId").GetGuid());
        Assert.True((await farm.GetJobAsync(hopeless.Id)).AtRisk);
        var deliveries = (await farm.Api.GetFromJsonAsync<List<RenderFarm.Coordinator.Webhooks.WebhookDeliveryView>>($"/api/jobs/{hopeless.Id:D}/deliveries"))!;
        Assert.Equal("job.at_risk", Assert.Single(deliveries).Event);
        (await farm.Api.PostAsync($"/api/jobs/{hopeless.Id:D}/cancel", null)).EnsureSuccessStatusCode();

        // Asked to, the farm refuses such a job and writes nothing.
        using var refused = await farm.Api.PostAsJsonAsync("/api/jobs", new JobRequest { Prompts = ["refused"], Count = 500, Deadline = DateTimeOffset.UtcNow.AddSeconds(1), RequireDeadline = true });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("eta").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.DoesNotContain((await farm.Api.GetFromJsonAsync<List<JobView>>("/api/jobs"))!, j => j.Prompts?.Contains("refused") == true);
    }

    /// <summary>
    /// Images per second of a job once it runs steadily, as the farm measures its pace. Counted from its creation, a
    /// short job's start (the first batch before any result) made it ~25 % slower, and the test's deadlines too loose
    /// for the farm to flag (2 runs in 10 here).
    /// </summary>
    private static async Task<double> SteadyPaceAsync(TestFarm farm, Guid jobId)
    {
        var running = await farm.WaitForJobAsync(jobId, j => j.Completed >= j.Total / 5, Patience);
        var since = DateTimeOffset.UtcNow;
        var finished = await farm.WaitForJobAsync(jobId, j => j.Status == "completed", Patience);
        return (finished.Total - running.Completed) / (finished.FinishedAt!.Value - since).TotalSeconds;
    }
}

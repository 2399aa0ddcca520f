using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RenderFarm.Coordinator.Farm;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Workers;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>Workers that step aside: drained by an operator, stopped with SIGTERM, or quarantined by their own failures.</summary>
public sealed class WorkerDrainTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_drained_worker_finishes_what_it_holds_takes_nothing_more_and_a_release_puts_it_back_to_work()
    {
        var model = TestFarm.NewModelName();
        TestPatternImageGenerator[] engines = [new(model, TimeSpan.FromMilliseconds(150)), new(model, TimeSpan.FromMilliseconds(150))];
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, engines);

        var first = await farm.SubmitAsync(new JobRequest { Prompts = ["a harbour"], Count = 60, Seed = 1000 });
        await WaitAsync(() => engines[0].Rendered.Count >= 4, "worker-0 to render");
        var drainedAt = DateTimeOffset.UtcNow;
        using (var drain = await farm.Api.PostAsync(new Uri("/api/workers/worker-0/drain", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Accepted, drain.StatusCode);
            Assert.Equal(WorkerStates.Draining, (await drain.Content.ReadFromJsonAsync<WorkerRecord>())!.State);
        }

        // The worker itself says so in its heartbeats, not only the coordinator's record of the request.
        await WaitForWorkerAsync(farm, "worker-0", w => w.State == WorkerStates.Draining && w.LastSeen > drainedAt.AddSeconds(1));
        var job = await farm.WaitForJobAsync(first.Id, j => j.FinishedAt is not null, Patience);
        Assert.Equal(("completed", 60), (job.Status, job.Completed));
        var heldWhenDrained = engines[0].Rendered.Count;

        // Every image once: one engine call each, one object each, no attempt charged.
        Assert.Equal(Enumerable.Range(1000, 60).Select(i => (long)i), engines.SelectMany(e => e.Rendered).Select(i => i.Seed).Order());
        Assert.Equal(60, (await farm.ListObjectsAsync($"jobs/{first.Id:D}/")).Count);
        await using (var db = farm.CreateDbContext())
        {
            var rows = await db.Images.Where(i => i.JobId == first.Id).ToListAsync();
            Assert.All(rows, r => Assert.Equal((ImageStatus.Rendered, 1), (r.Status, r.Attempts)));
            Assert.Contains(rows, r => r.WorkerId == "worker-1");
        }

        // Nothing new for the drained worker: the next job is the other worker's alone.
        var second = await farm.SubmitAsync(new JobRequest { Prompts = ["a second harbour"], Count = 20, Seed = 5000 });
        Assert.Equal("completed", (await farm.WaitForJobAsync(second.Id, j => j.FinishedAt is not null, Patience)).Status);
        Assert.Equal(heldWhenDrained, engines[0].Rendered.Count);
        Assert.Equal(20, engines[1].Rendered.Count(i => i.Seed >= 5000));
        var farmView = (await farm.Api.GetFromJsonAsync<FarmView>("/api/farm"))!;
        Assert.Equal(WorkerStates.Draining, farmView.Workers.Single(w => w.Id == "worker-0").State);

        // Released, and the other drained: only worker-0 can render the third job, so it finishing proves worker-0 consumes again.
        var releasedAt = DateTimeOffset.UtcNow;
        using (var release = await farm.Api.PostAsync(new Uri("/api/workers/worker-0/release", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Accepted, release.StatusCode);
        }

        await WaitForWorkerAsync(farm, "worker-0", w => w.State == WorkerStates.Active && w.LastSeen > releasedAt.AddSeconds(1));
        using (var drain = await farm.Api.PostAsync(new Uri("/api/workers/worker-1/drain", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Accepted, drain.StatusCode);
        }

        var third = await farm.SubmitAsync(new JobRequest { Prompts = ["a third harbour"], Count = 12, Seed = 9000 });
        Assert.Equal("completed", (await farm.WaitForJobAsync(third.Id, j => j.FinishedAt is not null, Patience)).Status);
        Assert.Equal(12, engines[0].Rendered.Count(i => i.Seed >= 9000));
        Assert.DoesNotContain(engines[1].Rendered, i => i.Seed >= 9000);
    }

    [Fact]
    public async Task Drain_and_release_are_for_admins_and_name_a_live_worker()
    {
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [new TestPatternImageGenerator(model, TimeSpan.Zero)]);
        var (member, _, _) = await farm.CreateStudioClientAsync("studio-a", "manager");
        using (var refused = await member.PostAsync(new Uri("/api/workers/worker-0/drain", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using (var refused = await member.PostAsync(new Uri("/api/workers/worker-0/release", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using (var unknown = await farm.Api.PostAsync(new Uri("/api/workers/no-such-worker/drain", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        Assert.All((await farm.Api.GetFromJsonAsync<List<WorkerRecord>>("/api/workers"))!, w => Assert.Equal(WorkerStates.Active, w.State));
    }

    [Fact]
    public async Task A_worker_whose_engine_always_fails_quarantines_itself_the_job_completes_on_the_good_one_and_a_release_lets_it_try_again()
    {
        var model = TestFarm.NewModelName();
        TestPatternImageGenerator[] engines = [new(model, TimeSpan.FromMilliseconds(20), fails: _ => true), new(model, TimeSpan.FromMilliseconds(100))];
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, engines);

        var first = await farm.SubmitAsync(new JobRequest { Prompts = ["a bridge"], Count = 40, Seed = 100 });
        var job = await farm.WaitForJobAsync(first.Id, j => j.FinishedAt is not null, Patience);
        Assert.Equal(("completed", 40, 0), (job.Status, job.Completed, job.Failed));
        var bad = await WaitForWorkerAsync(farm, "worker-0", w => w.State == WorkerStates.Quarantined);
        Assert.Contains("5 consecutive engine failures on different images", bad.StateReason, StringComparison.Ordinal);
        Assert.Contains("test engine refuses", bad.StateReason, StringComparison.Ordinal);
        Assert.Equal(WorkerStates.Active, (await WaitForWorkerAsync(farm, "worker-1", _ => true)).State);
        await using (var db = farm.CreateDbContext())
        {
            // Only what failed before the quarantine was charged; what the bad worker still held went back uncharged.
            var rows = await db.Images.Where(i => i.JobId == first.Id).ToListAsync();
            Assert.All(rows, r => Assert.Equal(("worker-1", ImageStatus.Rendered), (r.WorkerId, r.Status)));
            Assert.InRange(rows.Sum(r => r.Attempts - 1), 1, 5 + 4);
        }

        // Quarantined, it takes nothing more.
        var attempted = engines[0].Attempted.Count;
        var second = await farm.SubmitAsync(new JobRequest { Prompts = ["a second bridge"], Count = 20, Seed = 500 });
        Assert.Equal("completed", (await farm.WaitForJobAsync(second.Id, j => j.FinishedAt is not null, Patience)).Status);
        Assert.Equal(attempted, engines[0].Attempted.Count);
        var farmView = (await farm.Api.GetFromJsonAsync<FarmView>("/api/farm"))!;
        Assert.Equal(WorkerStates.Quarantined, farmView.Workers.Single(w => w.Id == "worker-0").State);

        // Released, it takes work again (and, failing again, steps aside again).
        var releasedAt = DateTimeOffset.UtcNow;
        using (var release = await farm.Api.PostAsync(new Uri("/api/workers/worker-0/release", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Accepted, release.StatusCode);
        }

        await WaitForWorkerAsync(farm, "worker-0", w => w.State == WorkerStates.Active && w.LastSeen > releasedAt.AddSeconds(1));
        var third = await farm.SubmitAsync(new JobRequest { Prompts = ["a third bridge"], Count = 40, Seed = 900 });
        Assert.Equal("completed", (await farm.WaitForJobAsync(third.Id, j => j.FinishedAt is not null, Patience)).Status);
        Assert.Contains(engines[0].Attempted, i => i.Seed >= 900);
        await WaitForWorkerAsync(farm, "worker-0", w => w.State == WorkerStates.Quarantined);
    }

    [Fact]
    public async Task A_worker_process_stopped_with_sigterm_says_it_is_draining_and_loses_or_charges_nothing()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(200));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine]);
        var leaving = await farm.StartWorkerProcessAsync("leaving", "per-image:50");
        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["a tide"], Count = 60, Seed = 100 });
        await farm.WaitForJobAsync(accepted.Id, j => j.Completed >= 8, Patience);

        using (var kill = Process.Start("kill", ["-TERM", leaving.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await WaitForWorkerAsync(farm, "leaving", w => w.State == WorkerStates.Draining);
        using (var exit = new CancellationTokenSource(Patience))
        {
            await leaving.WaitForExitAsync(exit.Token);
        }

        var job = await farm.WaitForJobAsync(accepted.Id, j => j.FinishedAt is not null, Patience);
        Assert.Equal(("completed", 60), (job.Status, job.Completed));
        Assert.Equal(60, (await farm.ListObjectsAsync($"jobs/{accepted.Id:D}/")).Count);
        await using var db = farm.CreateDbContext();
        var rows = await db.Images.Where(i => i.JobId == accepted.Id).ToListAsync();
        Assert.Contains(rows, r => r.WorkerId == "leaving");
        Assert.All(rows, r => Assert.Equal((ImageStatus.Rendered, 1), (r.Status, r.Attempts)));
    }

    private static async Task<WorkerRecord> WaitForWorkerAsync(TestFarm farm, string id, Func<WorkerRecord, bool> until)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            var worker = (await farm.Api.GetFromJsonAsync<List<WorkerRecord>>("/api/workers", deadline.Token))!.SingleOrDefault(w => w.Id == id);
            if (worker is not null && until(worker))
            {
                return worker;
            }

            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"Worker {id} did not get there in {Patience}: {worker?.State} {worker?.StateReason}");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (!condition())
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"Waited {Patience} for {what}");
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }
}

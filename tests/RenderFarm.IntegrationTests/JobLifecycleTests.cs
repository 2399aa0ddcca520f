using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Workers;
using RenderFarm.Infrastructure.Imaging;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

public sealed class JobLifecycleTests
{
    private static readonly string[] WorkerIds = ["worker-0", "worker-1"];

    [Fact]
    public async Task A_60_image_job_through_the_api_on_two_coordinators_and_two_workers_lands_every_image_exactly_once()
    {
        var model = TestFarm.NewModelName();
        TestPatternImageGenerator[] engines = [new(model, TimeSpan.FromMilliseconds(40)), new(model, TimeSpan.FromMilliseconds(40))];
        await using var farm = await TestFarm.StartAsync(model, coordinators: 2, engines);

        var accepted = await farm.SubmitAsync(new JobRequest
        {
            Prompts = ["a lighthouse at dawn", "a red fox", "a glass of water"], Count = 20, Seed = 1000, NegativePrompt = "blurry",
        });
        Assert.Equal(60, accepted.ImageCount);
        Assert.Equal("queued", accepted.Status);

        var job = await farm.WaitForJobAsync(accepted.Id, j => j.Status == "completed", TimeSpan.FromMinutes(2));
        Assert.Equal((60, 60, 0), (job.Total, job.Completed, job.Failed));
        Assert.NotNull(job.FinishedAt);

        // Every image rendered once, by the engines of both workers between them.
        var rendered = engines.SelectMany(e => e.Rendered).Select(i => i.Seed).Order().ToList();
        Assert.Equal(Enumerable.Range(1000, 60).Select(i => (long)i), rendered);
        Assert.All(engines, e => Assert.NotEmpty(e.Rendered));
        Assert.Contains(engines.SelectMany(e => e.Batches), batch => batch.Count > 1);

        // Exactly 60 objects under the job's prefix, under the deterministic keys.
        var keys = await farm.ListObjectsAsync($"jobs/{accepted.Id:D}/");
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"jobs/{accepted.Id:D}/{i:D6}.png"), keys.Order(StringComparer.Ordinal));

        // Exactly 60 rendered rows, each pointing at its object, recorded by one of the two workers.
        await using (var db = farm.CreateDbContext())
        {
            var rows = await db.Images.Where(i => i.JobId == accepted.Id).ToListAsync();
            Assert.Equal(60, rows.Count);
            Assert.All(rows, r => Assert.Equal(ImageStatus.Rendered, r.Status));
            Assert.All(rows, r => Assert.Equal($"jobs/{accepted.Id:D}/{r.Index:D6}.png", r.ObjectKey));
            Assert.All(rows, r => Assert.Contains(r.WorkerId, WorkerIds));
            Assert.All(rows, r => Assert.True(r.Bytes > 0));
        }

        // The image list links each image, and its content carries its generation parameters.
        var images = (await farm.Api.GetFromJsonAsync<List<JobImageView>>($"/api/jobs/{accepted.Id:D}/images"))!;
        Assert.Equal(60, images.Count);
        var fox = images.Single(i => i.Index == 25);
        Assert.Equal(("a red fox", 1025L, "rendered"), (fox.Prompt, fox.Seed, fox.Status));
        var png = await farm.Api.GetByteArrayAsync(fox.Url);
        Assert.Equal(
            $"a red fox\nNegative prompt: blurry\nSteps: 2, Sampler: Test pattern, CFG scale: 0, Seed: 1025, Size: 64x64, Model: {model}",
            ImageMetadataReader.ReadParameters(png));

        // Both workers are live on the farm view.
        var workers = (await farm.Api.GetFromJsonAsync<List<WorkerRecord>>("/api/workers"))!;
        Assert.Equal(["worker-0", "worker-1"], workers.Select(w => w.Id));
        Assert.All(workers, w => Assert.Equal([model], w.Models));
    }

    [Fact]
    public async Task A_small_job_submitted_behind_a_huge_one_finishes_long_before_it()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(100));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine]);

        var huge = await farm.SubmitAsync(new JobRequest { Prompts = ["the huge job"], Count = 400 });
        await farm.WaitForJobAsync(huge.Id, j => j.Completed >= 8, TimeSpan.FromMinutes(1));
        var small = await farm.SubmitAsync(new JobRequest { Prompts = ["the small job"], Count = 4 });

        await farm.WaitForJobAsync(small.Id, j => j.Status == "completed", TimeSpan.FromMinutes(1));
        var hugeWhenSmallFinished = await farm.GetJobAsync(huge.Id);

        // Only the batches already queued for the farm (two per worker) may go first; not the rest of the huge job.
        Assert.True(hugeWhenSmallFinished.Completed < 8 + 24, $"{hugeWhenSmallFinished.Completed} images of the huge job rendered before the small job finished");
        await farm.Api.PostAsync($"/api/jobs/{huge.Id:D}/cancel", null);
    }

    [Fact]
    public async Task On_an_engine_whose_time_grows_with_the_batch_a_small_job_behind_others_renders_in_a_batch_of_its_own()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.Zero, delayPerImage: TimeSpan.FromMilliseconds(30));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine]);

        var huge = await farm.SubmitAsync(new JobRequest { Prompts = ["the huge job"], Count = 400 });
        await farm.WaitForJobAsync(huge.Id, j => j.Completed >= 12, TimeSpan.FromMinutes(1));
        var small = await farm.SubmitAsync(new JobRequest { Prompts = ["the small job"], Count = 2 });
        await farm.WaitForJobAsync(small.Id, j => j.Status == "completed", TimeSpan.FromMinutes(1));
        await farm.Api.PostAsync($"/api/jobs/{huge.Id:D}/cancel", null);

        // Topped up with the huge job's images, its batch would take twice as long for the same images per second.
        var withSmall = engine.Batches.Where(b => b.Any(i => i.Prompt == "the small job")).ToList();
        Assert.Equal(["the small job", "the small job"], Assert.Single(withSmall).Select(i => i.Prompt));
    }

    [Fact]
    public async Task One_job_alone_fills_every_worker_even_when_they_should_hold_more_than_its_window()
    {
        var model = TestFarm.NewModelName();
        // Engines slower than the test: what is dispatched stays on the bus.
        TestPatternImageGenerator[] engines = [new(model, TimeSpan.FromSeconds(8)), new(model, TimeSpan.FromSeconds(8))];
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, engines, new Dictionary<string, string?> { ["Dispatch:WindowPerJob"] = "4" });

        var job = await farm.SubmitAsync(new JobRequest { Prompts = ["a wide farm"], Count = 100 });

        // Two workers of batch 4 should hold two batches each: 16 images, four times the job's window.
        await using var db = farm.CreateDbContext();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int dispatched;
        while ((dispatched = await db.Images.IgnoreQueryFilters().CountAsync(i => i.JobId == job.Id && i.Status == ImageStatus.Dispatched, timeout.Token)) < 16)
        {
            await Task.Delay(100, timeout.Token);
        }

        // Settled at the target: a few more rounds send nothing more.
        await Task.Delay(1000, timeout.Token);
        Assert.Equal(16, await db.Images.IgnoreQueryFilters().CountAsync(i => i.JobId == job.Id && i.Status == ImageStatus.Dispatched, timeout.Token));
        await farm.Api.PostAsync($"/api/jobs/{job.Id:D}/cancel", null);
    }

    [Fact]
    public async Task A_high_priority_job_overtakes_normal_ones()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(100));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine]);

        var normal = await farm.SubmitAsync(new JobRequest { Prompts = ["normal"], Count = 200 });
        await farm.WaitForJobAsync(normal.Id, j => j.Completed >= 4, TimeSpan.FromMinutes(1));
        var urgent = await farm.SubmitAsync(new JobRequest { Prompts = ["urgent"], Count = 40, Priority = "high" });

        await farm.WaitForJobAsync(urgent.Id, j => j.Status == "completed", TimeSpan.FromMinutes(1));
        var normalWhenUrgentFinished = await farm.GetJobAsync(normal.Id);

        // The urgent job's 40 images did not share the farm with the normal job beyond what was already queued.
        Assert.True(normalWhenUrgentFinished.Completed < 4 + 24, $"{normalWhenUrgentFinished.Completed} normal images rendered before the urgent job finished");
        await farm.Api.PostAsync($"/api/jobs/{normal.Id:D}/cancel", null);
    }

    [Fact]
    public async Task Cancelling_a_job_stops_it_and_no_more_images_are_rendered()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(150));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine]);

        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["a slow river"], Count = 400 });
        await farm.WaitForJobAsync(accepted.Id, j => j.Completed >= 4, TimeSpan.FromMinutes(1));

        using var cancel = await farm.Api.PostAsync($"/api/jobs/{accepted.Id:D}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelled = (await cancel.Content.ReadFromJsonAsync<JobView>())!;
        Assert.Equal("cancelled", cancelled.Status);

        // Batches already inside the engine may still finish; give them time, then nothing moves any more.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var renderedSoon = engine.Rendered.Count;
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(renderedSoon, engine.Rendered.Count);
        Assert.True(renderedSoon < 400 / 4, $"{renderedSoon} images rendered after cancelling");

        var job = await farm.GetJobAsync(accepted.Id);
        Assert.Equal("cancelled", job.Status);
        Assert.Equal(400, job.Completed + job.Cancelled);
        await using var db = farm.CreateDbContext();
        Assert.False(await db.Images.AnyAsync(i => i.JobId == accepted.Id && (i.Status == ImageStatus.Pending || i.Status == ImageStatus.Dispatched)));

        // Images finished by the engine after the cancellation left no object behind: exactly the rendered rows' objects remain.
        var heldKeys = await db.Images.Where(i => i.JobId == accepted.Id && i.Status == ImageStatus.Rendered).Select(i => i.ObjectKey!).ToListAsync();
        Assert.Equal(heldKeys.Order(StringComparer.Ordinal), (await farm.ListObjectsAsync($"jobs/{accepted.Id:D}/")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_failing_engine_retries_a_bounded_number_of_times_then_the_job_completes_with_errors()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(10), fails: item => item.Prompt.Contains("cursed", StringComparison.Ordinal));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine], new Dictionary<string, string?> { ["Dispatch:MaxAttempts"] = "3" });

        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["a calm lake", "a cursed lake"], Count = 3 });
        var job = await farm.WaitForJobAsync(accepted.Id, j => j.FinishedAt is not null, TimeSpan.FromMinutes(1));

        Assert.Equal(("completed_with_errors", 3, 3), (job.Status, job.Completed, job.Failed));
        var images = (await farm.Api.GetFromJsonAsync<List<JobImageView>>($"/api/jobs/{accepted.Id:D}/images"))!;
        Assert.All(images.Where(i => i.Prompt == "a cursed lake"), i =>
        {
            Assert.Equal(("failed", 3, null), (i.Status, i.Attempts, i.Url));
            Assert.Equal("test engine refuses 'a cursed lake'", i.Error);
        });
        Assert.All(images.Where(i => i.Prompt == "a calm lake"), i => Assert.Equal("rendered", i.Status));
        Assert.Equal(3, engine.Rendered.Count);
    }

    [Fact]
    public async Task Images_the_engine_reports_as_nan_fail_with_its_error_and_their_batch_neighbours_are_stored_without_a_retry()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(10), nan: item => item.Prompt.Contains("nan", StringComparison.Ordinal));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine], new Dictionary<string, string?> { ["Dispatch:MaxAttempts"] = "2" });

        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["a calm lake", "a nan lake"], Count = 3 });
        var job = await farm.WaitForJobAsync(accepted.Id, j => j.FinishedAt is not null, TimeSpan.FromMinutes(1));

        Assert.Equal(("completed_with_errors", 3, 3), (job.Status, job.Completed, job.Failed));
        var images = (await farm.Api.GetFromJsonAsync<List<JobImageView>>($"/api/jobs/{accepted.Id:D}/images"))!;
        Assert.All(images.Where(i => i.Prompt == "a nan lake"), i =>
        {
            Assert.Equal(("failed", 2, null), (i.Status, i.Attempts, i.Url));
            Assert.Equal("the model produced NaN at step 1; fp16 export?", i.Error);
        });
        Assert.All(images.Where(i => i.Prompt == "a calm lake"), i => Assert.Equal("rendered", i.Status));
        // A NaN image fails alone: its neighbours are not rendered again one by one, as after an engine exception.
        Assert.Equal(3, engine.Attempted.Count(i => i.Prompt == "a calm lake"));
    }

    [Fact]
    public async Task A_job_whose_every_image_fails_is_failed()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.Zero, fails: _ => true);
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine], new Dictionary<string, string?> { ["Dispatch:MaxAttempts"] = "2" });

        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["anything"], Count = 2 });
        var job = await farm.WaitForJobAsync(accepted.Id, j => j.FinishedAt is not null, TimeSpan.FromMinutes(1));

        Assert.Equal(("failed", 0, 2), (job.Status, job.Completed, job.Failed));
    }

    [Fact]
    public async Task Images_held_by_a_worker_killed_mid_job_are_rendered_by_another_in_seconds_not_after_the_dispatch_timeout()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(200));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine]);
        var doomed = await farm.StartWorkerProcessAsync("doomed", "per-image:50");
        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["a storm"], Count = 60, Seed = 100 });
        await farm.WaitForJobAsync(accepted.Id, j => j.Completed >= 12, TimeSpan.FromMinutes(1));

        doomed.Kill(entireProcessTree: true);

        // The reaper's DispatchTimeout is 10 minutes: only the broker taking back the killed worker's unacknowledged
        // messages at once can finish the job within this wait.
        var job = await farm.WaitForJobAsync(accepted.Id, j => j.FinishedAt is not null, TimeSpan.FromSeconds(60));
        Assert.Equal(("completed", 60), (job.Status, job.Completed));
        Assert.Equal(60, (await farm.ListObjectsAsync($"jobs/{accepted.Id:D}/")).Count);
        await using var db = farm.CreateDbContext();
        var rows = await db.Images.Where(i => i.JobId == accepted.Id).ToListAsync();
        Assert.Contains(rows, r => r.WorkerId == "doomed");
        Assert.All(rows, r => Assert.Equal((ImageStatus.Rendered, 1), (r.Status, r.Attempts)));
    }
}

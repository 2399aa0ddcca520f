using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Schedules;
using RenderFarm.Coordinator.Studios;
using RenderFarm.Coordinator.Usage;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>Quotas, the per-key submission limit, fair share between studios and GPU-seconds accounting, on the real servers.</summary>
public sealed class StudioQuotaTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Submissions_over_a_quota_answer_429_naming_it_and_write_nothing()
    {
        await using var farm = await TestFarm.StartAsync(TestFarm.NewModelName(), coordinators: 1, [], new Dictionary<string, string?> { ["Quotas:MaxImagesPerDay"] = "10" });
        var (client, _, studio) = await farm.CreateStudioClientAsync("quota-studio", "artist");
        using var _ = client;
        using var set = await farm.Api.PutAsJsonAsync($"/api/studios/{studio:D}", new StudioRequest(null, MaxImagesPerJob: 6, MaxQueuedImages: 8));
        set.EnsureSuccessStatusCode();

        var perJob = await SubmitAsync(client, 7);
        Assert.Equal(HttpStatusCode.TooManyRequests, perJob.Status);
        Assert.Equal(("maxImagesPerJob", 6, 7), (perJob.Problem.GetProperty("quota").GetString(), perJob.Problem.GetProperty("limit").GetInt32(), perJob.Problem.GetProperty("requested").GetInt32()));
        Assert.Null(perJob.RetryAfter);

        Assert.Equal(HttpStatusCode.Accepted, (await SubmitAsync(client, 6)).Status);
        var queued = await SubmitAsync(client, 3);
        Assert.Equal(("maxQueuedImages", 6), (queued.Problem.GetProperty("quota").GetString(), queued.Problem.GetProperty("used").GetInt32()));

        // The farm's default day quota: 6 submitted today, 2 more fit the queue, 5 do not fit the day.
        Assert.Equal(HttpStatusCode.Accepted, (await SubmitAsync(client, 2)).Status);
        using (var lift = await farm.Api.PutAsJsonAsync($"/api/studios/{studio:D}", new StudioRequest(null)))
        {
            lift.EnsureSuccessStatusCode();
        }

        var day = await SubmitAsync(client, 5);
        Assert.Equal(HttpStatusCode.TooManyRequests, day.Status);
        Assert.Equal(("maxImagesPerDay", 10, 8), (day.Problem.GetProperty("quota").GetString(), day.Problem.GetProperty("limit").GetInt32(), day.Problem.GetProperty("used").GetInt32()));
        Assert.InRange(day.RetryAfter!.Value, 1, 86_400);

        await using var db = farm.CreateDbContext();
        Assert.Equal([6, 2], await db.Jobs.Where(j => j.StudioId == studio).OrderBy(j => j.CreatedAt).Select(j => j.ImageCount).ToListAsync());
        Assert.Equal(8, await db.Images.CountAsync(i => i.StudioId == studio));

        // A month's GPU-seconds: two images that took 900 s of engine time each.
        var ids = await db.Images.Where(i => i.StudioId == studio).OrderBy(i => i.Id).Select(i => i.Id).Take(2).ToListAsync();
        await db.Images.Where(i => ids.Contains(i.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, ImageStatus.Rendered).SetProperty(i => i.RenderMilliseconds, 900_000).SetProperty(i => i.FinishedAt, DateTimeOffset.UtcNow));
        using (var gpu = await farm.Api.PutAsJsonAsync($"/api/studios/{studio:D}", new StudioRequest(null, MaxGpuSecondsPerMonth: 1800)))
        {
            gpu.EnsureSuccessStatusCode();
        }

        var month = await SubmitAsync(client, 1);
        Assert.Equal(("maxGpuSecondsPerMonth", 1800, 1800), (month.Problem.GetProperty("quota").GetString(), month.Problem.GetProperty("limit").GetInt32(), month.Problem.GetProperty("used").GetInt32()));
        Assert.NotNull(month.RetryAfter);
    }

    [Fact]
    public async Task A_key_that_submits_too_fast_is_slowed_down_and_a_scheduled_firing_over_quota_is_recorded_as_rejected()
    {
        await using var farm = await TestFarm.StartAsync(TestFarm.NewModelName(), coordinators: 1, [], new Dictionary<string, string?> { ["Quotas:SubmissionsPerMinute"] = "5" });
        var (artist, _, studio) = await farm.CreateStudioClientAsync("fast-studio", "artist");
        var (manager, _, _) = await farm.CreateStudioClientAsync("fast-studio", "manager");
        using var _ = artist;
        using var __ = manager;

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await artist.PostAsJsonAsync("/api/jobs", new JobRequest { Prompts = [] })).StatusCode);
        }

        using var limited = await artist.PostAsJsonAsync("/api/jobs", new JobRequest { Prompts = ["one too many"] });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.Accepted, (await manager.PostAsJsonAsync("/api/jobs", new JobRequest { Prompts = ["another key is not slowed"] })).StatusCode);

        using var quota = await farm.Api.PutAsJsonAsync($"/api/studios/{studio:D}", new StudioRequest(null, MaxImagesPerJob: 2));
        quota.EnsureSuccessStatusCode();
        using var created = await manager.PostAsJsonAsync("/api/schedules", new ScheduleRequest { Name = "too big", Cron = "0 0 9 * * ?", PromptTemplates = ["a sunrise"], Job = new JobRequest { Count = 4 } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var schedule = (await created.Content.ReadFromJsonAsync<ScheduleView>())!;

        using var fired = await manager.PostAsync($"/api/schedules/{schedule.Id:D}/run-now", null);
        Assert.Equal(HttpStatusCode.Conflict, fired.StatusCode);
        var history = (await manager.GetFromJsonAsync<List<ScheduleFiringView>>($"/api/schedules/{schedule.Id:D}/history"))!;
        var rejected = Assert.Single(history);
        Assert.Equal(("rejected", (Guid?)null), (rejected.Status, rejected.JobId));
        Assert.Contains("maxImagesPerJob", rejected.Reason);
        Assert.Equal(0, (await manager.GetFromJsonAsync<ScheduleView>($"/api/schedules/{schedule.Id:D}"))!.Firings);
    }

    [Fact]
    public async Task Two_saturated_studios_with_shares_2_and_1_split_the_farm_2_to_1_and_usage_adds_up()
    {
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1,
            [new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(40)), new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(40))],
            new Dictionary<string, string?> { ["Usage:PricePerGpuHour:test"] = "3.6", ["Usage:DefaultPricePerGpuHour"] = "100" });
        var (big, _, bigStudio) = await farm.CreateStudioClientAsync("big-share", "artist");
        var (small, _, smallStudio) = await farm.CreateStudioClientAsync("small-share", "artist");
        using var _ = big;
        using var __ = small;
        (await farm.Api.PutAsJsonAsync($"/api/studios/{bigStudio:D}", new StudioRequest(null, Share: 2))).EnsureSuccessStatusCode();

        var bigJob = await AcceptedAsync(big, new JobRequest { Prompts = ["share two"], Count = 1000 });
        var smallJob = await AcceptedAsync(small, new JobRequest { Prompts = ["share one"], Count = 1000 });

        // Throughput while both are saturated (neither runs out of pending images): from the moment both render, not
        // from the first round, which the job submitted first may have had to itself.
        await farm.WaitForJobAsync(smallJob, j => j.Completed >= 20, Patience);
        var (bigStart, smallStart) = ((await farm.GetJobAsync(bigJob)).Completed, (await farm.GetJobAsync(smallJob)).Completed);
        await farm.WaitForJobAsync(bigJob, j => j.Completed >= bigStart + 300, Patience);
        var (bigDone, smallDone) = ((await farm.GetJobAsync(bigJob)).Completed - bigStart, (await farm.GetJobAsync(smallJob)).Completed - smallStart);
        Assert.InRange(bigDone / (double)smallDone, 1.8, 2.2);

        // Cancelled, the jobs render no more (results still on their way are refused), so the sums hold still.
        (await big.PostAsync($"/api/jobs/{bigJob:D}/cancel", null)).EnsureSuccessStatusCode();
        (await small.PostAsync($"/api/jobs/{smallJob:D}/cancel", null)).EnsureSuccessStatusCode();

        using var report = await farm.Api.GetAsync("/api/usage?groupBy=studio");
        var usage = (await report.Content.ReadFromJsonAsync<UsageReport>())!;
        await using var db = farm.CreateDbContext();
        foreach (var studio in new[] { ("big-share", bigStudio), ("small-share", smallStudio) })
        {
            var images = await db.Images.Where(i => i.StudioId == studio.Item2 && i.Status == ImageStatus.Rendered).ToListAsync();
            var row = Assert.Single(usage.Rows, r => r.Key == studio.Item1);
            Assert.Equal(images.Count, row.Images);
            Assert.Equal(images.Sum(i => i.RenderMilliseconds!.Value) / 1000.0, row.GpuSeconds, precision: 6);
            Assert.All(images, i => Assert.Equal("test-pattern", i.Device));
            Assert.Equal((decimal)row.GpuSeconds / 1000m, row.Cost, precision: 4);
        }

        var mine = (await small.GetFromJsonAsync<UsageReport>("/api/usage?groupBy=model"))!;
        Assert.Equal(model, Assert.Single(mine.Rows).Key);
        var job = await farm.GetJobAsync(smallJob);
        Assert.True(job.GpuSeconds > 0 && job.Cost > 0, $"job view shows {job.GpuSeconds} GPU-s costing {job.Cost}");

        var days = (await farm.Api.GetFromJsonAsync<UsageReport>("/api/usage?groupBy=day"))!;
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Assert.Single(days.Rows).Key);
        Assert.Equal(usage.Total.Images, days.Total.Images);

        var csv = await farm.Api.GetStringAsync("/api/usage?groupBy=studio&format=csv");
        Assert.StartsWith("studio,images,gpu_seconds,cost_usd\n", csv);
        Assert.Contains("\nbig-share,", csv);
        Assert.Equal(HttpStatusCode.BadRequest, (await farm.Api.GetAsync("/api/usage?groupBy=planet")).StatusCode);
    }

    private static async Task<Guid> AcceptedAsync(HttpClient client, JobRequest request)
    {
        using var response = await client.PostAsJsonAsync("/api/jobs", request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JobAccepted>())!.Id;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Problem, int? RetryAfter)> SubmitAsync(HttpClient client, int count)
    {
        using var response = await client.PostAsJsonAsync("/api/jobs", new JobRequest { Prompts = ["quota"], Count = count });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, body, response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : null);
    }
}

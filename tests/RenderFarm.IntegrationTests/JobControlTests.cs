using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Jobs;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>Pausing, resuming, re-prioritising and retrying jobs through the API, on real servers.</summary>
public sealed class JobControlTests
{
    [Fact]
    public async Task A_paused_job_renders_nothing_more_until_resumed_and_then_completes()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(100));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine]);
        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["a slow river"], Count = 60 });
        await farm.WaitForJobAsync(accepted.Id, j => j.Completed >= 4, TimeSpan.FromMinutes(1));

        var paused = await PostAsync<JobView>(farm, $"/api/jobs/{accepted.Id:D}/pause");
        Assert.Equal("paused", paused.Status);

        // What was already on the worker may finish; then nothing moves.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var settled = engine.Rendered.Count;
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(settled, engine.Rendered.Count);
        Assert.True(settled < 60, $"{settled} images rendered while paused");
        Assert.Equal("paused", (await farm.GetJobAsync(accepted.Id)).Status);

        Assert.Equal("running", (await PostAsync<JobView>(farm, $"/api/jobs/{accepted.Id:D}/resume")).Status);
        var done = await farm.WaitForJobAsync(accepted.Id, j => j.FinishedAt is not null, TimeSpan.FromMinutes(1));
        Assert.Equal(("completed", 60), (done.Status, done.Completed));
        Assert.Equal(60, engine.Rendered.Count);
    }

    [Fact]
    public async Task A_job_raised_to_high_priority_overtakes_the_one_ahead_of_it()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(100));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine]);
        var first = await farm.SubmitAsync(new JobRequest { Prompts = ["first"], Count = 200 });
        await farm.WaitForJobAsync(first.Id, j => j.Completed >= 4, TimeSpan.FromMinutes(1));
        var second = await farm.SubmitAsync(new JobRequest { Prompts = ["second"], Count = 40, Priority = "low" });

        var raised = await PostAsync<JobView>(farm, $"/api/jobs/{second.Id:D}/priority", """{ "priority": "high" }""");
        Assert.Equal("high", raised.Priority);
        await farm.WaitForJobAsync(second.Id, j => j.Status == "completed", TimeSpan.FromMinutes(1));

        Assert.True((await farm.GetJobAsync(first.Id)).Completed < 4 + 40, "the raised job did not overtake");
        await farm.Api.PostAsync($"/api/jobs/{first.Id:D}/cancel", null);
    }

    [Fact]
    public async Task Retrying_a_job_renders_its_failed_images_again_and_keeps_the_rendered_ones()
    {
        var model = TestFarm.NewModelName();
        var cursed = true;
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(10), fails: item => cursed && item.Prompt.Contains("cursed", StringComparison.Ordinal));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine], new Dictionary<string, string?> { ["Dispatch:MaxAttempts"] = "2" });
        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["a calm lake", "a cursed lake"], Count = 3 });
        await farm.WaitForJobAsync(accepted.Id, j => j.Status == "completed_with_errors", TimeSpan.FromMinutes(1));

        cursed = false;
        Assert.Equal("running", (await PostAsync<JobView>(farm, $"/api/jobs/{accepted.Id:D}/retry")).Status);
        var done = await farm.WaitForJobAsync(accepted.Id, j => j.FinishedAt is not null, TimeSpan.FromMinutes(1));

        Assert.Equal(("completed", 6, 0), (done.Status, done.Completed, done.Failed));
        var images = (await farm.Api.GetFromJsonAsync<List<JobImageView>>($"/api/jobs/{accepted.Id:D}/images"))!;
        Assert.All(images, i => Assert.Equal(("rendered", 1), (i.Status, i.Attempts)));
        Assert.Equal(3, engine.Rendered.Count(i => i.Prompt == "a calm lake"));
    }

    [Fact]
    public async Task Changes_a_job_status_forbids_answer_409_and_bad_or_unknown_ones_400_or_404()
    {
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [new TestPatternImageGenerator(model, TimeSpan.Zero)]);
        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["done soon"], Count = 2 });
        await farm.WaitForJobAsync(accepted.Id, j => j.Status == "completed", TimeSpan.FromMinutes(1));

        foreach (var action in new[] { "pause", "resume", "retry", "cancel" })
        {
            using var refused = await farm.Api.PostAsync($"/api/jobs/{accepted.Id:D}/{action}", null);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("completed", (await refused.Content.ReadFromJsonAsync<ProblemDetails>())!.Extensions["jobStatus"]!.ToString());
            using var unknown = await farm.Api.PostAsync($"/api/jobs/{Guid.NewGuid():D}/{action}", null);
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using var badPriority = await farm.Api.PostAsync($"/api/jobs/{accepted.Id:D}/priority", new StringContent("""{ "priority": "urgent" }""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, badPriority.StatusCode);
        Assert.Contains("priority", (await badPriority.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
        using var finishedPriority = await farm.Api.PostAsync($"/api/jobs/{accepted.Id:D}/priority", new StringContent("""{ "priority": "high" }""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Conflict, finishedPriority.StatusCode);
        Assert.Equal("normal", (await farm.GetJobAsync(accepted.Id)).Priority);
    }

    private static async Task<T> PostAsync<T>(TestFarm farm, string path, string? json = null)
    {
        using var response = await farm.Api.PostAsync(path, json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }
}

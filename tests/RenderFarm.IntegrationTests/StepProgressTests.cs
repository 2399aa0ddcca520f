using System.Net.Http.Json;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Jobs;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>The engine's step progress travels from the worker (throttled) to every coordinator's event stream.</summary>
public sealed class StepProgressTests
{
    [Fact]
    public async Task Step_progress_of_the_images_in_an_engine_reaches_the_event_stream_and_the_job_view()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.Zero, delayPerStep: TimeSpan.FromMilliseconds(100));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine]);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["slow"], Steps = 30, Count = 1 });
        await using var stream = await EventStream.OpenAsync(farm.Api, accepted.Id, cancel.Token);

        var progress = await stream.ReadAsync(e => e.Type == "imageProgress", 2, cancel.Token);

        Assert.All(progress, e => Assert.Equal((accepted.Id, 0, 30), (e.Data.GetProperty("jobId").GetGuid(), e.Data.GetProperty("index").GetInt32(), e.Data.GetProperty("totalSteps").GetInt32())));
        var steps = progress.Select(e => e.Data.GetProperty("step").GetInt32()).ToList();
        Assert.True(steps[0] < steps[1] && steps[1] < 30, string.Join(", ", steps));

        // A polled job view (the CLI's) shows it too.
        var job = (await farm.Api.GetFromJsonAsync<JobView>($"/api/jobs/{accepted.Id:D}"))!;
        Assert.Equal(30, job.EngineStep?.TotalSteps);
    }
}

using System.Net.Http.Json;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Jobs;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>Content-addressed rendering: an image already rendered with exactly the same inputs is not rendered again.</summary>
public sealed class ReuseTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_job_submitted_again_costs_no_render_gives_the_same_bytes_and_any_changed_field_renders_anew()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(5));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine]);
        var request = new JobRequest { Prompts = ["a lighthouse", "a red fox"], Count = 3, Seed = 42, Steps = 3 };

        var first = await farm.SubmitAsync(request);
        await farm.WaitForJobAsync(first.Id, j => j.Status == "completed", Patience);
        Assert.Equal(6, engine.Rendered.Count);

        // Finished on submission: every image is one the studio already has.
        var again = await farm.SubmitAsync(request);
        Assert.Equal("completed", again.Status);
        var job = await farm.GetJobAsync(again.Id);
        Assert.Equal((6, 6, 0.0), (job.Completed, job.Reused, job.GpuSeconds ?? 0));
        Assert.Equal(6, engine.Rendered.Count);

        var originals = (await farm.Api.GetFromJsonAsync<List<JobImageView>>($"/api/jobs/{first.Id:D}/images"))!;
        var copies = (await farm.Api.GetFromJsonAsync<List<JobImageView>>($"/api/jobs/{again.Id:D}/images"))!;
        Assert.All(copies, c => Assert.True(c.Reused));
        for (var i = 0; i < originals.Count; i++)
        {
            Assert.Equal(originals[i].Seed, copies[i].Seed);
            Assert.Equal(await farm.Api.GetByteArrayAsync(originals[i].Url), await farm.Api.GetByteArrayAsync(copies[i].Url));
        }

        // One field changed, or reuse turned off, or another prompt beside the old ones: only what is new renders.
        foreach (var (changed, renders) in new[]
                 {
                     (request with { Steps = 4 }, 6), (request with { Seed = 1000 }, 6),
                     // Image i has seed + i: seed 43 shifts every image by one, so four of six exist already.
                     (request with { Seed = 43 }, 2), (request with { NegativePrompt = "blurry" }, 6),
                     (request with { Format = "webp" }, 6), (request with { Reuse = false }, 6),
                     (request with { Prompts = ["a lighthouse", "a red fox", "a harbour"] }, 3),
                 })
        {
            var before = engine.Rendered.Count;
            var accepted = await farm.SubmitAsync(changed);
            var finished = await farm.WaitForJobAsync(accepted.Id, j => j.Status == "completed", Patience);
            Assert.Equal(renders, engine.Rendered.Count - before);
            Assert.Equal(finished.Total - renders, finished.Reused);
        }
    }

    [Fact]
    public async Task Another_studio_never_gets_a_studios_images()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(5));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine]);
        var (a, _, _) = await farm.CreateStudioClientAsync("reuse-a", "artist");
        var (b, _, _) = await farm.CreateStudioClientAsync("reuse-b", "artist");
        using var _ = a;
        using var __ = b;
        var request = new JobRequest { Prompts = ["a secret storyboard"], Count = 2, Seed = 7 };

        foreach (var client in new[] { a, b })
        {
            using var response = await client.PostAsJsonAsync("/api/jobs", request);
            var accepted = (await response.Content.ReadFromJsonAsync<JobAccepted>())!;
            var job = await farm.WaitForJobAsync(accepted.Id, j => j.Status == "completed", Patience);
            Assert.Equal(0, job.Reused);
        }

        Assert.Equal(4, engine.Rendered.Count);
    }
}

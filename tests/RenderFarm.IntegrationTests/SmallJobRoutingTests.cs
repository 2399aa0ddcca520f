using Microsoft.EntityFrameworkCore;
using RenderFarm.Core.Jobs;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>A job that fits one batch is rendered in one batch, on one worker, even while a big job keeps every worker busy.</summary>
public sealed class SmallJobRoutingTests
{
    [Fact]
    public async Task A_four_image_job_behind_a_big_one_lands_whole_on_one_worker()
    {
        var model = TestFarm.NewModelName();
        TestPatternImageGenerator[] engines = [new(model, TimeSpan.FromMilliseconds(150)), new(model, TimeSpan.FromMilliseconds(150))];
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, engines);
        var big = await farm.SubmitAsync(new JobRequest { Prompts = ["a big river"], Count = 400 });
        await farm.WaitForJobAsync(big.Id, j => j.Completed >= 16, TimeSpan.FromMinutes(1));

        var smalls = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var small = await farm.SubmitAsync(new JobRequest { Prompts = [$"a small pond {i}"], Count = 4 });
            await farm.WaitForJobAsync(small.Id, j => j.Status == "completed", TimeSpan.FromMinutes(1));
            smalls.Add(small.Id);
        }

        await using var db = farm.CreateDbContext();
        var workers = await db.Images.Where(i => smalls.Contains(i.JobId)).Select(i => new { i.JobId, i.WorkerId }).ToListAsync();
        Assert.All(workers.GroupBy(w => w.JobId), job => Assert.Single(job.Select(w => w.WorkerId).Distinct()));
        Assert.All(engines, e => Assert.Contains(e.Rendered, r => r.Prompt == "a big river"));
    }
}

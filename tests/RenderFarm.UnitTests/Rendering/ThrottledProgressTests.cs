using RenderFarm.Contracts;
using RenderFarm.Core.Generation;
using RenderFarm.Worker.Rendering;

namespace RenderFarm.UnitTests.Rendering;

public sealed class ThrottledProgressTests
{
    private static readonly RenderImage[] Images =
    [
        new() { JobId = Guid.NewGuid(), ImageId = Guid.NewGuid(), Index = 3, Prompt = "p", Seed = 1, Width = 64, Height = 64, Steps = 30, Guidance = 0, Model = "m", Attempt = 1, ObjectKey = "a" },
        new() { JobId = Guid.NewGuid(), ImageId = Guid.NewGuid(), Index = 0, Prompt = "q", Seed = 2, Width = 64, Height = 64, Steps = 30, Guidance = 0, Model = "m", Attempt = 1, ObjectKey = "b" },
    ];

    [Fact]
    public void At_most_one_message_per_interval_and_none_for_the_last_step()
    {
        var clock = new ManualClock();
        var sent = new List<RenderProgress>();
        var progress = new ThrottledProgress(sent.Add, "w1", Images, TimeSpan.FromMilliseconds(250), clock);

        // 30 steps of 100 ms each: a message every third step at most.
        for (var step = 1; step <= 30; step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            progress.Report(new GenerationProgress(step, 30));
        }

        Assert.Equal([3, 6, 9, 12, 15, 18, 21, 24, 27], sent.Select(m => m.Step));
        Assert.All(sent, m => Assert.Equal(("w1", 30), (m.WorkerId, m.TotalSteps)));
        Assert.Equal(Images.Select(i => i.ImageId), sent[0].ImageIds);
        Assert.Equal(Images.Select(i => i.JobId), sent[0].JobIds);
        Assert.Equal([3, 0], sent[0].Indexes);
    }

    [Fact]
    public void A_batch_faster_than_the_interval_sends_nothing()
    {
        var clock = new ManualClock();
        var sent = new List<RenderProgress>();
        var progress = new ThrottledProgress(sent.Add, "w1", Images, TimeSpan.FromMilliseconds(250), clock);

        for (var step = 1; step <= 4; step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(50));
            progress.Report(new GenerationProgress(step, 4));
        }

        Assert.Empty(sent);
    }
}

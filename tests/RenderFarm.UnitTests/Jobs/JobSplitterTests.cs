using RenderFarm.Core.Images;
using RenderFarm.Core.Imaging;
using RenderFarm.Core.Jobs;

namespace RenderFarm.UnitTests.Jobs;

public sealed class JobSplitterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);

    private static JobSpec Spec(IReadOnlyList<string> prompts, int count, long seed = 1000) =>
        new(prompts, count, "blurry", "sd-turbo", 512, 512, 4, 0, seed, JobPriority.Normal, ImageFormat.Png);

    [Fact]
    public void One_pending_row_per_image_numbered_prompt_by_prompt()
    {
        var job = JobSplitter.Split(Spec(["a", "b", "c"], 4), Guid.NewGuid(), Now);

        Assert.Equal(12, job.ImageCount);
        Assert.Equal(Enumerable.Range(0, 12), job.Images.Select(i => i.Index));
        Assert.Equal(["a", "a", "a", "a", "b", "b", "b", "b", "c", "c", "c", "c"], job.Images.Select(i => i.Prompt));
        Assert.All(job.Images, i => Assert.Equal(ImageStatus.Pending, i.Status));
        Assert.All(job.Images, i => Assert.Equal(job.Id, i.JobId));
        Assert.Equal(12, job.Images.Select(i => i.Id).Distinct().Count());
        Assert.Equal(JobStatus.Queued, job.Status);
    }

    [Fact]
    public void Seeds_follow_the_job_seed_so_a_job_renders_again_identically()
    {
        var first = JobSplitter.Split(Spec(["a", "b"], 3, seed: 77), Guid.NewGuid(), Now);
        var again = JobSplitter.Split(Spec(["a", "b"], 3, seed: 77), Guid.NewGuid(), Now);

        Assert.Equal(new long[] { 77, 78, 79, 80, 81, 82 }, first.Images.Select(i => i.Seed));
        Assert.Equal(first.Images.Select(i => (i.Prompt, i.Seed)), again.Images.Select(i => (i.Prompt, i.Seed)));
    }
}

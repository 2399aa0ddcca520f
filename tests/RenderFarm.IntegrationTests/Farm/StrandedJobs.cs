using RenderFarm.Core.Images;
using RenderFarm.Core.Imaging;
using RenderFarm.Core.Jobs;

namespace RenderFarm.IntegrationTests.Farm;

/// <summary>Running jobs as a fault leaves them in the database: some images dispatched, their messages gone.</summary>
internal static class StrandedJobs
{
    /// <summary>A job of <paramref name="count"/> images per prompt (64², 2 steps, seeds from <paramref name="seed"/>) started at <paramref name="startedAt"/>, whose images <paramref name="dispatched"/> were dispatched at <paramref name="dispatchedAt"/>; the rest are pending.</summary>
    public static RenderJob Create(string model, string[] prompts, int count, long seed, DateTimeOffset startedAt, DateTimeOffset dispatchedAt, params int[] dispatched)
    {
        var spec = new JobSpec(prompts, count, "", model, 64, 64, 2, 0, seed, JobPriority.Normal, ImageFormat.Png);
        var job = JobSplitter.Split(spec, Guid.CreateVersion7(), startedAt);
        job.Status = JobStatus.Running;
        job.StartedAt = job.LastDispatchedAt = startedAt;
        foreach (var image in job.Images.Where(i => dispatched.Contains(i.Index)))
        {
            (image.Status, image.DispatchedAt) = (ImageStatus.Dispatched, dispatchedAt);
        }

        return job;
    }
}

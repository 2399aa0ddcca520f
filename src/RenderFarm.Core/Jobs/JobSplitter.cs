using RenderFarm.Core.Images;

namespace RenderFarm.Core.Jobs;

/// <summary>Turns a job spec into the job row and one pending image row per image.</summary>
public static class JobSplitter
{
    /// <remarks>Images are numbered prompt by prompt: image <c>p * count + k</c> is the k-th image of prompt p.</remarks>
    public static RenderJob Split(JobSpec spec, Guid jobId, DateTimeOffset now, Guid? studioId = null)
    {
        var job = new RenderJob
        {
            Id = jobId,
            Status = JobStatus.Queued,
            Priority = spec.Priority,
            Prompts = [.. spec.Prompts],
            CountPerPrompt = spec.CountPerPrompt,
            NegativePrompt = spec.NegativePrompt,
            Model = spec.Model,
            Width = spec.Width,
            Height = spec.Height,
            Steps = spec.Steps,
            Guidance = spec.Guidance,
            RequiredLabels = [.. spec.RequiredLabels],
            Seed = spec.Seed,
            Format = spec.Format.ToString().ToLowerInvariant(),
            Noise = spec.Noise,
            ImageCount = spec.ImageCount,
            CreatedAt = now,
            StudioId = studioId,
        };

        job.Images.Capacity = spec.ImageCount;
        for (var p = 0; p < spec.Prompts.Count; p++)
        {
            for (var k = 0; k < spec.CountPerPrompt; k++)
            {
                var index = (p * spec.CountPerPrompt) + k;
                job.Images.Add(new JobImage
                {
                    Id = Guid.CreateVersion7(now),
                    JobId = jobId,
                    StudioId = studioId,
                    Index = index,
                    Prompt = spec.Prompts[p],
                    Seed = Seeds.ForImage(spec.Seed, index),
                    Status = ImageStatus.Pending,
                });
            }
        }

        return job;
    }
}

using RenderFarm.Core.Jobs;

namespace RenderFarm.Bench.Farm;

public static class BenchJobs
{
    // The API caps images per prompt (Jobs:MaxCountPerPrompt, 1000 by default); larger jobs get more prompts.
    private const int MaxCountPerPrompt = 1000;

    /// <summary>A job of exactly <paramref name="images"/> images: as few prompts as the per-prompt cap allows, times a count that divides it.</summary>
    public static JobRequest Of(string model, int images, string label)
    {
        var count = Enumerable.Range(1, Math.Min(images, MaxCountPerPrompt)).Last(c => images % c == 0);
        return new JobRequest
        {
            Model = model,
            Prompts = [.. Enumerable.Range(0, images / count).Select(p => $"{label} prompt {p}")],
            Count = count,
            Seed = 1,
        };
    }
}

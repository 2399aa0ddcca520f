using RenderFarm.Core.Imaging;

namespace RenderFarm.Core.Jobs;

/// <summary>A validated job request with every default filled in.</summary>
public sealed record JobSpec(
    IReadOnlyList<string> Prompts,
    int CountPerPrompt,
    string NegativePrompt,
    string Model,
    int Width,
    int Height,
    int Steps,
    double Guidance,
    long Seed,
    JobPriority Priority,
    ImageFormat Format,
    string? Noise = null)
{
    /// <summary>The job's and its model's label requirements, normalized.</summary>
    public IReadOnlyList<string> RequiredLabels { get; init; } = [];

    public int ImageCount => Prompts.Count * CountPerPrompt;
}

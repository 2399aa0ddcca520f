using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Core.Jobs;

/// <summary>Bounds on what one job may ask for (section <c>Jobs</c>).</summary>
public sealed class JobLimitsOptions
{
    public const string SectionName = "Jobs";

    [Range(1, 1_000_000)]
    public int MaxImagesPerJob { get; set; } = 10_000;

    [Range(1, 100_000)]
    public int MaxPromptsPerJob { get; set; } = 1_000;

    [Range(1, 100_000)]
    public int MaxCountPerPrompt { get; set; } = 1_000;

    [Range(1, 100_000)]
    public int MaxPromptLength { get; set; } = 2_000;

    [Range(1, 1000)]
    public int MaxSteps { get; set; } = 150;

    [Range(0.0, 100.0)]
    public double MaxGuidance { get; set; } = 30.0;
}

namespace RenderFarm.Core.Models;

/// <summary>A model the farm accepts jobs for, with the rules its pipeline imposes, as the catalog resolved them.</summary>
public sealed record ModelDefinition
{
    public required string Name { get; init; }
    public string Family { get; init; } = GenericModel.Family;

    /// <summary>Width and height must be multiples of this (8 for SD-family VAEs, 16 for patchified DiTs).</summary>
    public int SizeMultiple { get; init; } = 8;
    public int MinSize { get; init; } = 64;
    public int MaxSize { get; init; } = 2048;
    public int DefaultWidth { get; init; } = 512;
    public int DefaultHeight { get; init; } = 512;
    public int DefaultSteps { get; init; } = 4;
    public double DefaultGuidance { get; init; }
    public string? Sampler { get; init; }

    /// <summary>Labels every worker rendering this model must have (an operator's override).</summary>
    public IReadOnlyList<string> RequireLabels { get; init; } = [];
}

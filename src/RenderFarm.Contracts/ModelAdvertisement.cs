namespace RenderFarm.Contracts;

/// <summary>
/// A model a worker can render, as its heartbeat advertises it: what the farm's catalog is built from. The limits and
/// defaults come from the model folder's <c>renderfarm.json</c> or, where it says nothing, the family's known ones.
/// </summary>
public sealed record ModelAdvertisement
{
    public required string Name { get; init; }

    /// <summary>The pipeline family (<c>stable-diffusion</c>, <c>stable-diffusion-xl</c>, <c>z-image</c>), or the engine's own word.</summary>
    public required string Family { get; init; }

    /// <summary>A digest of the model's files: two workers with the same name and different identities hold different models.</summary>
    public required string Identity { get; init; }

    public required int SizeMultiple { get; init; }
    public required int MinSize { get; init; }
    public required int MaxSize { get; init; }
    public required int DefaultWidth { get; init; }
    public required int DefaultHeight { get; init; }
    public required int DefaultSteps { get; init; }
    public required double DefaultGuidance { get; init; }
    public string? Sampler { get; init; }

    /// <summary>Whether the model is in the worker's memory now (a model found by a rescan loads on its first batch).</summary>
    public bool Loaded { get; init; }
}

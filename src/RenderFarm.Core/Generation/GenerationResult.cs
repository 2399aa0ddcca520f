namespace RenderFarm.Core.Generation;

/// <summary>The images of a batch, in the order of its items, and the sampler that made them (written into the image metadata).</summary>
public sealed record GenerationResult(IReadOnlyList<GeneratedImage> Images, string Sampler);

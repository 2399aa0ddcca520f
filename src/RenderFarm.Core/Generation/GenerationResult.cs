namespace RenderFarm.Core.Generation;

/// <summary>The images of a batch, in the order of its items, and the sampler that made them (written into the image metadata).</summary>
/// <param name="Noise">The <see cref="NoiseSources"/> name the initial noise came from; null when the engine does not say.</param>
public sealed record GenerationResult(IReadOnlyList<GeneratedImage> Images, string Sampler, string? Noise = null);

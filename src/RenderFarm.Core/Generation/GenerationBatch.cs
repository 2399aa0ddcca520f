namespace RenderFarm.Core.Generation;

/// <summary>Images that share model, size, steps, guidance and noise, so one engine call can render them together.</summary>
/// <param name="Noise">One of <see cref="NoiseSources"/>; null takes the model's default.</param>
public sealed record GenerationBatch(string Model, int Width, int Height, int Steps, double Guidance, IReadOnlyList<GenerationItem> Items, string? Noise = null);

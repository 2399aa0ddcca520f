namespace RenderFarm.Core.Generation;

/// <summary>Images that share model, size, steps and guidance, so one engine call can render them together.</summary>
public sealed record GenerationBatch(string Model, int Width, int Height, int Steps, double Guidance, IReadOnlyList<GenerationItem> Items);

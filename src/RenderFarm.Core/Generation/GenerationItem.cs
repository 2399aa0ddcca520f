namespace RenderFarm.Core.Generation;

/// <summary>One image of a batch: its own prompt and seed.</summary>
public sealed record GenerationItem(string Prompt, string NegativePrompt, long Seed);

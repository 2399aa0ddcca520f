namespace RenderFarm.Inference.Models;

/// <summary>
/// A model folder's <c>renderfarm.json</c>: what a diffusers folder does not record, the size and sampling its model is
/// meant for. Every key is optional; the family's defaults fill the rest.
/// </summary>
internal sealed record ModelFolderSettings
{
    public int? SizeMultiple { get; init; }
    public int? MinSize { get; init; }
    public int? MaxSize { get; init; }
    public int? DefaultWidth { get; init; }
    public int? DefaultHeight { get; init; }
    public int? DefaultSteps { get; init; }
    public double? DefaultGuidance { get; init; }

    /// <summary>The engine's default noise for the model (<c>torch-cpu</c>, <c>renderfarm</c>); the engine reads it itself.</summary>
    public string? Noise { get; init; }
}

using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Core.Models;

/// <summary>A model the farm accepts jobs for, with the rules its pipeline imposes.</summary>
public sealed class ModelDefinition
{
    [Required, RegularExpression("^[a-z0-9][a-z0-9._-]{0,63}$", ErrorMessage = "Model names are lowercase letters, digits, '.', '_' and '-' (they name queues).")]
    public string Name { get; set; } = "";

    /// <summary>Width and height must be multiples of this (8 for SD-family VAEs, 16 for patchified DiTs).</summary>
    [Range(1, 256)]
    public int SizeMultiple { get; set; } = 8;

    [Range(8, 8192)]
    public int MinSize { get; set; } = 64;

    [Range(8, 8192)]
    public int MaxSize { get; set; } = 2048;

    [Range(8, 8192)]
    public int DefaultWidth { get; set; } = 512;

    [Range(8, 8192)]
    public int DefaultHeight { get; set; } = 512;

    [Range(1, 1000)]
    public int DefaultSteps { get; set; } = 4;

    [Range(0.0, 100.0)]
    public double DefaultGuidance { get; set; }
}

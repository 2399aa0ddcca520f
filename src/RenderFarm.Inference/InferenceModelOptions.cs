using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Inference;

/// <summary>A model folder in the diffusers/Optimum ONNX layout (<c>model_index.json</c> at its root).</summary>
public sealed class InferenceModelOptions
{
    [Required, RegularExpression("^[a-z0-9][a-z0-9._-]{0,63}$", ErrorMessage = "Model names are lowercase letters, digits, '.', '_' and '-' (they name queues).")]
    public string Name { get; set; } = "";

    [Required]
    public string Path { get; set; } = "";

    /// <summary>
    /// Overrides the sampler the folder's scheduler_config.json implies: <c>euler</c>, <c>euler-a</c>, <c>lcm</c>,
    /// <c>dpm++2m</c>, <c>dpm++2m-karras</c> or <c>flow-euler</c>. Empty keeps the folder's.
    /// </summary>
    [RegularExpression("^(|euler|euler-a|lcm|dpm\\+\\+2m|dpm\\+\\+2m-karras|flow-euler)$")]
    public string? Scheduler { get; set; }

    /// <summary>
    /// The model's default initial noise: <c>torch-cpu</c> (torch.randn on a seeded CPU generator, what diffusers,
    /// ComfyUI and A1111 draw) or <c>renderfarm</c>. Empty takes the folder's renderfarm.json <c>Noise</c>, else
    /// torch-cpu. A job may still ask for either.
    /// </summary>
    [RegularExpression("^(|torch-cpu|renderfarm)$")]
    public string? Noise { get; set; }

    /// <summary>Overrides <see cref="InferenceOptions.TextEncoderDevice"/> for this model: <c>same</c> or <c>cpu</c>; empty keeps the worker's.</summary>
    [RegularExpression("^(|same|cpu)$", ErrorMessage = "Inference:Models:N:TextEncoderDevice is 'same' or 'cpu'.")]
    public string? TextEncoderDevice { get; set; }
}

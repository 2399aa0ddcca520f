using System.Text.Json;
using System.Text.Json.Serialization;

namespace RenderFarm.Coordinator.Automatic1111;

/// <summary>
/// The members of AUTOMATIC1111's <c>POST /sdapi/v1/txt2img</c> body that the farm uses. A1111 clients send many more
/// (hires fix, scripts, restore_faces, …); those are accepted and ignored, as the WebUI's own model would accept them.
/// Omitted sizes, steps and CFG scale take the model's defaults rather than the WebUI's (50 steps, CFG 7 are wrong
/// for the turbo models farms run).
/// </summary>
public sealed record Txt2ImgRequest
{
    [JsonPropertyName("prompt")]
    public string? Prompt { get; init; }

    [JsonPropertyName("negative_prompt")]
    public string? NegativePrompt { get; init; }

    [JsonPropertyName("steps")]
    public int? Steps { get; init; }

    [JsonPropertyName("cfg_scale")]
    public double? CfgScale { get; init; }

    [JsonPropertyName("width")]
    public int? Width { get; init; }

    [JsonPropertyName("height")]
    public int? Height { get; init; }

    /// <summary>-1 (the default) for a random seed; image i gets seed + i, as in the WebUI.</summary>
    [JsonPropertyName("seed")]
    public long? Seed { get; init; }

    [JsonPropertyName("batch_size")]
    public int? BatchSize { get; init; }

    [JsonPropertyName("n_iter")]
    public int? NIter { get; init; }

    /// <summary>Checked against <c>/sdapi/v1/samplers</c>; the model's configured sampler renders (see the infotexts).</summary>
    [JsonPropertyName("sampler_name")]
    public string? SamplerName { get; init; }

    /// <summary>The WebUI's older name for <see cref="SamplerName"/>, still sent by many clients.</summary>
    [JsonPropertyName("sampler_index")]
    public string? SamplerIndex { get; init; }

    /// <summary>Only <c>sd_model_checkpoint</c> is used: the model, as <c>/sdapi/v1/sd-models</c> titles it.</summary>
    [JsonPropertyName("override_settings")]
    public Dictionary<string, JsonElement>? OverrideSettings { get; init; }
}

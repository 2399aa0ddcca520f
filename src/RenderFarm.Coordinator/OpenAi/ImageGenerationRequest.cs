using System.Text.Json.Serialization;

namespace RenderFarm.Coordinator.OpenAi;

/// <summary>
/// The body of OpenAI's <c>POST /v1/images/generations</c>, plus the farm's extensions (<c>seed</c>, <c>steps</c>,
/// <c>guidance</c>, <c>negative_prompt</c>). OpenAI's members the farm has no use for (<c>quality</c>, <c>style</c>,
/// <c>background</c>, <c>moderation</c>) are accepted and ignored so that its clients work unchanged; any other
/// member is refused by name, as OpenAI refuses it.
/// </summary>
public sealed record ImageGenerationRequest
{
    [JsonPropertyName("model")]
    public string? Model { get; init; }

    [JsonPropertyName("prompt")]
    public string? Prompt { get; init; }

    /// <summary>Images to render, 1 by default.</summary>
    [JsonPropertyName("n")]
    public int? N { get; init; }

    /// <summary><c>WIDTHxHEIGHT</c> such as <c>1024x1024</c>, or <c>auto</c> (the model's default size).</summary>
    [JsonPropertyName("size")]
    public string? Size { get; init; }

    /// <summary><c>url</c> (default) or <c>b64_json</c>.</summary>
    [JsonPropertyName("response_format")]
    public string? ResponseFormat { get; init; }

    /// <summary><c>png</c> (default), <c>jpeg</c> or <c>webp</c>.</summary>
    [JsonPropertyName("output_format")]
    public string? OutputFormat { get; init; }

    [JsonPropertyName("user")]
    public string? User { get; init; }

    [JsonPropertyName("quality")]
    public string? Quality { get; init; }

    [JsonPropertyName("style")]
    public string? Style { get; init; }

    [JsonPropertyName("background")]
    public string? Background { get; init; }

    [JsonPropertyName("moderation")]
    public string? Moderation { get; init; }

    /// <summary>Streaming partial images is not offered; <c>true</c> is refused.</summary>
    [JsonPropertyName("stream")]
    public bool? Stream { get; init; }

    /// <summary>Extension: the job's seed (image i gets seed + i); random when omitted.</summary>
    [JsonPropertyName("seed")]
    public long? Seed { get; init; }

    /// <summary>Extension: denoising steps; the model's default when omitted.</summary>
    [JsonPropertyName("steps")]
    public int? Steps { get; init; }

    /// <summary>Extension: classifier-free guidance scale; the model's default when omitted.</summary>
    [JsonPropertyName("guidance")]
    public double? Guidance { get; init; }

    /// <summary>Extension: what the image should not show.</summary>
    [JsonPropertyName("negative_prompt")]
    public string? NegativePrompt { get; init; }
}

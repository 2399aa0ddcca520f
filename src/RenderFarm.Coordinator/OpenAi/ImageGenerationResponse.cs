using System.Text.Json.Serialization;

namespace RenderFarm.Coordinator.OpenAi;

/// <summary>OpenAI's answer to an image generation: when (Unix seconds) and one entry per image.</summary>
public sealed record ImageGenerationResponse(
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("data")] IReadOnlyList<GeneratedImageData> Data);

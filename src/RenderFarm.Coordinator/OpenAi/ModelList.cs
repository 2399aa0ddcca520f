using System.Text.Json.Serialization;

namespace RenderFarm.Coordinator.OpenAi;

/// <summary>OpenAI's <c>GET /v1/models</c> answer: <c>{ "object": "list", "data": [..] }</c>.</summary>
public sealed record ModelList(
    [property: JsonPropertyName("object")] string Kind,
    [property: JsonPropertyName("data")] IReadOnlyList<ModelEntry> Data);

using System.Text.Json.Serialization;

namespace RenderFarm.Coordinator.OpenAi;

/// <summary>One model of the farm's catalog as OpenAI lists models.</summary>
/// <param name="Created">Unix seconds; the catalog keeps no dates, so 0.</param>
public sealed record ModelEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Kind,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("owned_by")] string OwnedBy);

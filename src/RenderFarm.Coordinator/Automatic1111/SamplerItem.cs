using System.Text.Json.Serialization;

namespace RenderFarm.Coordinator.Automatic1111;

/// <summary>A sampler the farm's engines implement, in the WebUI's vocabulary.</summary>
public sealed record SamplerItem(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("aliases")] IReadOnlyList<string> Aliases,
    [property: JsonPropertyName("options")] IReadOnlyDictionary<string, string> Options);

using System.Text.Json.Serialization;

namespace RenderFarm.Coordinator.Automatic1111;

/// <summary>A model of the catalog as the WebUI lists checkpoints; <see cref="Title"/> is what <c>sd_model_checkpoint</c> names.</summary>
public sealed record SdModelItem(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("hash")] string? Hash,
    [property: JsonPropertyName("sha256")] string? Sha256,
    [property: JsonPropertyName("filename")] string Filename,
    [property: JsonPropertyName("config")] string? Config);

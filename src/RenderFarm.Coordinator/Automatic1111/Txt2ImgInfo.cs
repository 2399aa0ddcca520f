using System.Text.Json.Serialization;

namespace RenderFarm.Coordinator.Automatic1111;

/// <summary>
/// The generation record the WebUI returns JSON-encoded in <c>info</c>: clients read <c>all_seeds</c> and
/// <c>infotexts</c> (one per image, the same text as embedded in the PNG) from it. Members the farm has no counterpart
/// for carry the WebUI's neutral values.
/// </summary>
public sealed record Txt2ImgInfo(
    [property: JsonPropertyName("prompt")] string Prompt,
    [property: JsonPropertyName("all_prompts")] IReadOnlyList<string> AllPrompts,
    [property: JsonPropertyName("negative_prompt")] string NegativePrompt,
    [property: JsonPropertyName("all_negative_prompts")] IReadOnlyList<string> AllNegativePrompts,
    [property: JsonPropertyName("seed")] long Seed,
    [property: JsonPropertyName("all_seeds")] IReadOnlyList<long> AllSeeds,
    [property: JsonPropertyName("subseed")] long Subseed,
    [property: JsonPropertyName("all_subseeds")] IReadOnlyList<long> AllSubseeds,
    [property: JsonPropertyName("subseed_strength")] double SubseedStrength,
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("height")] int Height,
    [property: JsonPropertyName("sampler_name")] string SamplerName,
    [property: JsonPropertyName("cfg_scale")] double CfgScale,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("batch_size")] int BatchSize,
    [property: JsonPropertyName("restore_faces")] bool RestoreFaces,
    [property: JsonPropertyName("sd_model_name")] string SdModelName,
    [property: JsonPropertyName("sd_model_hash")] string? SdModelHash,
    [property: JsonPropertyName("seed_resize_from_w")] int SeedResizeFromW,
    [property: JsonPropertyName("seed_resize_from_h")] int SeedResizeFromH,
    [property: JsonPropertyName("extra_generation_params")] IReadOnlyDictionary<string, string> ExtraGenerationParams,
    [property: JsonPropertyName("index_of_first_image")] int IndexOfFirstImage,
    [property: JsonPropertyName("infotexts")] IReadOnlyList<string> Infotexts,
    [property: JsonPropertyName("styles")] IReadOnlyList<string> Styles,
    [property: JsonPropertyName("job_timestamp")] string JobTimestamp,
    [property: JsonPropertyName("clip_skip")] int ClipSkip,
    [property: JsonPropertyName("version")] string Version);

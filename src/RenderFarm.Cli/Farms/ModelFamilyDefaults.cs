using System.Text.Json.Nodes;

namespace RenderFarm.Cli.Farms;

/// <summary>
/// Catalog defaults a model folder implies by its pipeline class, before its renderfarm.json (if any) overrides
/// them: a diffusers folder does not record the sampling its model was distilled for.
/// </summary>
internal static class ModelFamilyDefaults
{
    /// <returns>Keys of a <c>Models:Available</c> entry; none for families the catalog's own defaults suit.</returns>
    public static IReadOnlyDictionary<string, string> For(string modelFolder)
    {
        var index = Path.Combine(modelFolder, "model_index.json");
        var className = File.Exists(index) && JsonNode.Parse(File.ReadAllText(index)) is JsonObject json && json["_class_name"] is JsonValue v && v.TryGetValue<string>(out var name)
            ? name
            : null;
        return className switch
        {
            // Z-Image-Turbo: 8 steps = 8 transformer forwards on diffusers' grid (PR #13730), no CFG, 2x2 patches
            // over the VAE's 8x, trained at 1024².
            "ZImagePipeline" => new Dictionary<string, string>
            {
                ["SizeMultiple"] = "16",
                ["DefaultSteps"] = "8",
                ["DefaultGuidance"] = "0",
                ["DefaultWidth"] = "1024",
                ["DefaultHeight"] = "1024",
            },
            _ => new Dictionary<string, string>(),
        };
    }
}

using System.Text.Json.Serialization;

namespace RenderFarm.Coordinator.OpenAi;

/// <summary>One image: an address to fetch it from, or its bytes in base64, as the request's <c>response_format</c> asked.</summary>
/// <param name="RevisedPrompt">The prompt the image was rendered from; the farm does not rewrite prompts, so it is the one sent.</param>
public sealed record GeneratedImageData(
    [property: JsonPropertyName("url"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url,
    [property: JsonPropertyName("b64_json"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? B64Json,
    [property: JsonPropertyName("revised_prompt")] string RevisedPrompt);

using System.Text.Json.Serialization;

namespace RenderFarm.Coordinator.OpenAi;

/// <param name="Type"><c>invalid_request_error</c> for the client's mistakes, <c>server_error</c> for the farm's.</param>
/// <param name="Param">The request member at fault (<c>size</c>, <c>n</c>), or null.</param>
/// <param name="Code">A machine-readable reason (<c>invalid_value</c>, <c>model_not_found</c>, <c>timeout</c>), or null.</param>
public sealed record OpenAiError(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code);

using System.Text.Json.Serialization;

namespace RenderFarm.Coordinator.Automatic1111;

/// <summary>The WebUI's error body for refusals such as an unknown model or sampler: <c>{ error, detail, body, errors }</c>.</summary>
public sealed record WebUiError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("errors")] string Errors);

using System.Text.Json.Serialization;

namespace RenderFarm.Coordinator.Automatic1111;

/// <summary>FastAPI's 422 body, which the WebUI answers for a body its model refuses: <c>{ "detail": [{ loc, msg, type }] }</c>.</summary>
public sealed record ValidationErrorResponse([property: JsonPropertyName("detail")] IReadOnlyList<ValidationErrorItem> Detail);

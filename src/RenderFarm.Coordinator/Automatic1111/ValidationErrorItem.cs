using System.Text.Json.Serialization;

namespace RenderFarm.Coordinator.Automatic1111;

/// <param name="Loc">Where: <c>["body", "steps"]</c>.</param>
public sealed record ValidationErrorItem(
    [property: JsonPropertyName("loc")] IReadOnlyList<string> Loc,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("type")] string Type);

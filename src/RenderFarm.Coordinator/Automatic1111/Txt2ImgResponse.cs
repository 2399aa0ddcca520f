using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace RenderFarm.Coordinator.Automatic1111;

/// <param name="Images">Base64 PNGs (no <c>data:</c> prefix), each with its infotext embedded, in seed order.</param>
/// <param name="Parameters">The request as received, with the values the farm used for the members it reads.</param>
/// <param name="Info">A JSON document as a string, as the WebUI answers: see <see cref="Txt2ImgInfo"/>.</param>
public sealed record Txt2ImgResponse(
    [property: JsonPropertyName("images")] IReadOnlyList<string> Images,
    [property: JsonPropertyName("parameters")] JsonObject Parameters,
    [property: JsonPropertyName("info")] string Info);

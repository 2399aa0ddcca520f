using System.Text.Json.Serialization;

namespace RenderFarm.Coordinator.OpenAi;

/// <summary>OpenAI's error envelope, <c>{ "error": { message, type, param, code } }</c>, which its clients parse.</summary>
public sealed record OpenAiErrorResponse([property: JsonPropertyName("error")] OpenAiError Error);

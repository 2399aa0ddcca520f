using System.Text.Json;

namespace RenderFarm.Coordinator.Apis;

/// <summary>
/// Reads the bodies of the compatible APIs (OpenAI, A1111), whose errors are not problem details: what cannot be read
/// comes back as the member at fault and why, for each API to answer in its own error shape.
/// </summary>
internal static class CompatibleJsonBody
{
    public static async Task<(T? Body, string? Member, string? Error)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, options, cancellationToken);
            return body is null ? (null, null, "A JSON object is required as the request body.") : (body, null, null);
        }
        catch (JsonException e)
        {
            var member = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? null : e.Path.TrimStart('$', '.');
            return (null, member, $"The request body could not be read: {e.Message}");
        }
    }
}

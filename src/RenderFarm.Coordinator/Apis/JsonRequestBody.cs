using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace RenderFarm.Coordinator.Apis;

/// <summary>
/// Reads job and schedule request bodies strictly, and turns what cannot be read into problem details naming the field.
/// </summary>
/// <remarks>
/// Strict only here: responses, the CLI's client and the database's JSON columns keep the lenient web defaults, so
/// rows written by an older version still read. An unknown member is refused because a typo (<c>cuont</c>) would
/// otherwise silently take the default; a number sent as a string and a repeated member are refused because what the
/// client meant is a guess.
/// </remarks>
internal static class JsonRequestBody
{
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> Strict = [];

    /// <param name="options">The host's HTTP JSON options; the strict variant is made from them once.</param>
    /// <param name="what">What the body should be, for the messages: "job", "schedule".</param>
    public static async Task<(T? Body, ValidationProblem? Problem)> ReadAsync<T>(
        HttpRequest request, JsonSerializerOptions options, string what, CancellationToken cancellationToken)
        where T : class
    {
        var strict = Strict.GetValue(options, web => new JsonSerializerOptions(web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            NumberHandling = JsonNumberHandling.Strict,
            AllowDuplicateProperties = false,
        });

        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, strict, cancellationToken);
            return body is null
                ? (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"A JSON {what} is required."] }))
                : (body, null);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            return (null, TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [field] = [$"Cannot read the {what}: {e.Message}"] },
                title: $"The request body is not a valid {what}."));
        }
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>The coordinator's OpenAPI document (<c>/openapi/v1.json</c>) and its reference page (<c>/docs</c>).</summary>
public sealed class OpenApiTests(ApiTests.CoordinatorOnlyFarm fixture) : IClassFixture<ApiTests.CoordinatorOnlyFarm>
{
    private readonly TestFarm _farm = fixture.Farm;

    [Fact]
    public async Task The_document_describes_every_mapped_route_with_its_methods()
    {
        using var document = await GetDocumentAsync();
        var described = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                described.Add($"{operation.Name.ToUpperInvariant()} {Normalise(path.Name)}");
            }
        }

        var mapped = _farm.CoordinatorServices.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => !IsExcluded(e))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(m => $"{m} {PathOf(e.RoutePattern)}"))
            .ToHashSet(StringComparer.Ordinal);

        // Guards the comparison itself: an enumeration that found nothing would "cover" everything.
        Assert.Contains("POST /api/jobs", mapped);
        Assert.Contains("GET /health", mapped);
        Assert.Empty(mapped.Except(described).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_operation_documents_what_it_answers_on_success()
    {
        using var document = await GetDocumentAsync();
        var undescribed = new List<string>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var success = operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();

                // A success answers content, unless it is 204 No Content.
                if (success.Count == 0 || success.Any(r => r.Name != "204" && !r.Value.TryGetProperty("content", out _)))
                {
                    undescribed.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
                }
            }
        }

        Assert.Empty(undescribed);
    }

    [Fact]
    public async Task Bodies_read_by_hand_and_problem_answers_have_schemas()
    {
        using var document = await GetDocumentAsync();
        var paths = document.RootElement.GetProperty("paths");

        var submit = paths.GetProperty("/api/jobs").GetProperty("post");
        var body = Resolve(document, submit.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.True(body.GetProperty("properties").TryGetProperty("prompts", out _), body.ToString());
        Assert.True(submit.GetProperty("responses").GetProperty("400").GetProperty("content").TryGetProperty("application/problem+json", out _));

        var cancel = paths.GetProperty("/api/jobs/{id}/cancel").GetProperty("post").GetProperty("responses");
        foreach (var status in new[] { "404", "409" })
        {
            var problem = Resolve(document, cancel.GetProperty(status).GetProperty("content").GetProperty("application/problem+json").GetProperty("schema"));
            Assert.True(problem.GetProperty("properties").TryGetProperty("title", out _), problem.ToString());
        }

        var schedule = paths.GetProperty("/api/schedules/{id}").GetProperty("put").GetProperty("requestBody");
        var scheduleBody = Resolve(document, schedule.GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.True(scheduleBody.GetProperty("properties").TryGetProperty("cron", out _), scheduleBody.ToString());
    }

    [Fact]
    public async Task The_reference_page_is_served_at_docs_from_the_coordinator_itself()
    {
        using var response = await _farm.Api.GetAsync("/docs");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);

        // Scalar resolves the document's address against the application's base, in front of /docs/.
        Assert.Contains("\"url\":\"openapi/v1.json\"", html);
        foreach (var script in new[] { "scalar.js", "scalar.aspnetcore.js" })
        {
            Assert.Contains($"src=\"{script}\"", html);
            using var scriptResponse = await _farm.Api.GetAsync($"/docs/{script}");
            Assert.Equal(HttpStatusCode.OK, scriptResponse.StatusCode);
        }
    }

    /// <remarks>
    /// Left out, each for its reason: <c>/metrics</c> is Prometheus' text exposition for scrapers, not part of the
    /// API; the document's own route and the reference page (Scalar's) are the description itself.
    /// </remarks>
    private static bool IsExcluded(RouteEndpoint endpoint)
    {
        var path = PathOf(endpoint.RoutePattern);
        return path == "/metrics" || path.StartsWith("/openapi/", StringComparison.Ordinal) || path == "/docs" || path.StartsWith("/docs/", StringComparison.Ordinal);
    }

    private static string PathOf(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            _ => throw new InvalidOperationException($"Unexpected route part {part}"),
        }))));

    private static string Normalise(string documentPath) => documentPath.Length > 1 ? documentPath.TrimEnd('/') : documentPath;

    private static JsonElement Resolve(JsonDocument document, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return schema;
        }

        var name = reference.GetString()!.Split('/')[^1];
        return document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }

    private async Task<JsonDocument> GetDocumentAsync()
    {
        using var response = await _farm.Api.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}

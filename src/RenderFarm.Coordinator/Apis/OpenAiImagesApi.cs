using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using RenderFarm.Coordinator.Auth;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Models;
using RenderFarm.Coordinator.OpenAi;
using RenderFarm.Coordinator.Quotas;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Models;
using RenderFarm.Core.Storage;

namespace RenderFarm.Coordinator.Apis;

/// <summary>
/// OpenAI's Images API (<c>POST /v1/images/generations</c>, <c>GET /v1/models</c>), so that chat front ends, scripts
/// and the official clients can use the farm unchanged: each call is an ordinary job, answered when it finishes.
/// </summary>
public static class OpenAiImagesApi
{
    private const string InvalidRequest = "invalid_request_error";
    private const string ServerError = "server_error";

    // OpenAI refuses members it does not know, and so does this; its snake_case names are on the records.
    private static readonly JsonSerializerOptions RequestJson = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        AllowDuplicateProperties = false,
    };

    public static IEndpointRouteBuilder MapOpenAiImagesApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("OpenAI Images API");
        v1.MapPost("/images/generations", GenerateAsync)
            .RequireAuthorization(FarmPolicies.Artist)
            .RequireRateLimiting(SubmissionRateLimits.Policy)
            .Accepts<ImageGenerationRequest>("application/json")
            .Produces<OpenAiErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status500InternalServerError)
            .Produces<OpenAiErrorResponse>(StatusCodes.Status504GatewayTimeout);
        v1.MapGet("/models", async (ModelCatalogService catalogs, CancellationToken ct) =>
            TypedResults.Ok(new ModelList("list", [.. (await catalogs.GetAsync(ct)).Models.Select(m => new ModelEntry(m.Name, "model", 0, "renderfarm"))])));

        // The addresses in `url` answers: a signed, expiring token is the credential, as OpenAI's own image links (and
        // S3's presigned addresses) are, because clients fetch them with no key.
        v1.MapGet("/files/{token}", async (string token, ImageLinks links, JobQueries queries, IImageStore store, CancellationToken ct) =>
            links.ImageOf(token) is { } id && await queries.FindRenderedImageAsync(id, ct, ignoreStudios: true) is { ObjectKey: { } key } image
                ? Results.Stream(destination => store.CopyToAsync(key, destination, ct), image.ContentType ?? "application/octet-stream", Path.GetFileName(key))
                : Error(StatusCodes.Status404NotFound, "No such file, or its link has expired.", InvalidRequest, null, "not_found"))
            .AllowAnonymous()
            .Produces<Stream>(StatusCodes.Status200OK, "image/png", "image/jpeg", "image/webp")
            .Produces<OpenAiErrorResponse>(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<ImageGenerationResponse>, JsonHttpResult<OpenAiErrorResponse>>> GenerateAsync(
        HttpRequest http, SynchronousJobRunner runner, ImageLinks links, ModelCatalogService catalogs, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, member, readError) = await CompatibleJsonBody.ReadAsync<ImageGenerationRequest>(http, RequestJson, cancellationToken);
        if (body is null)
        {
            return Error(StatusCodes.Status400BadRequest, readError!, InvalidRequest, member, member is null ? "invalid_json" : "invalid_value");
        }

        var (job, urls, refused) = Translate(body, await catalogs.GetAsync(cancellationToken));
        if (refused is not null)
        {
            return refused;
        }

        SynchronousJobResult result;
        try
        {
            result = await runner.RunAsync(job, FarmCaller.From(http.HttpContext.User)?.StudioId, cancellationToken);
        }
        catch (QuotaExceededException e)
        {
            return Error(StatusCodes.Status429TooManyRequests, e.Message, "insufficient_quota", null, "insufficient_quota");
        }

        switch (result.Outcome)
        {
            case SynchronousJobOutcome.Invalid:
                var (field, messages) = result.Errors.First();
                return Error(StatusCodes.Status400BadRequest, messages[0], InvalidRequest, ParamOf(field), "invalid_value");
            case SynchronousJobOutcome.TimedOut:
                return Error(
                    StatusCodes.Status504GatewayTimeout,
                    $"The images were not ready in time; job {result.JobId:D} was cancelled. Try again when the farm is less busy, or submit to /api/jobs.",
                    ServerError, null, "timeout");
        }

        var rendered = result.Rendered.ToList();
        if (rendered.Count == 0)
        {
            var why = result.Images?.FirstOrDefault(i => i.Error is not null)?.Error ?? $"the job ended {result.Job!.Status}";
            return Error(StatusCodes.Status500InternalServerError, $"No image could be rendered: {why}", ServerError, null, null);
        }

        var data = new List<GeneratedImageData>(rendered.Count);
        foreach (var image in rendered)
        {
            data.Add(urls
                ? new GeneratedImageData($"{http.Scheme}://{http.Host}{http.PathBase}{links.PathFor(image.Id)}", null, image.Prompt)
                : new GeneratedImageData(null, Convert.ToBase64String(await runner.ReadAsync(image, cancellationToken)), image.Prompt));
        }

        return TypedResults.Ok(new ImageGenerationResponse(clock.GetUtcNow().ToUnixTimeSeconds(), data));
    }

    /// <summary>The job the request stands for and whether it wants addresses, or the refusal of a member the job rules do not check.</summary>
    private static (JobRequest Job, bool Urls, JsonHttpResult<OpenAiErrorResponse>? Refused) Translate(ImageGenerationRequest body, ModelCatalog catalog)
    {
        JsonHttpResult<OpenAiErrorResponse>? refused = null;
        if (string.IsNullOrEmpty(body.Prompt))
        {
            refused = Error(StatusCodes.Status400BadRequest, "A prompt is required.", InvalidRequest, "prompt", body.Prompt is null ? "missing_required_parameter" : "invalid_value");
        }
        else if (body.Stream == true)
        {
            refused = Error(StatusCodes.Status400BadRequest, "Streaming is not supported; the answer comes when all images are ready.", InvalidRequest, "stream", "invalid_value");
        }
        else if (body.ResponseFormat is not (null or "url" or "b64_json"))
        {
            refused = Error(StatusCodes.Status400BadRequest, $"Invalid response_format '{body.ResponseFormat}': use 'url' or 'b64_json'.", InvalidRequest, "response_format", "invalid_value");
        }

        if (!TryParseSize(body.Size, out var size))
        {
            var model = catalog.Find(null)!.Definition;
            refused ??= Error(
                StatusCodes.Status400BadRequest,
                $"Invalid size '{body.Size}': use WIDTHxHEIGHT such as {model.DefaultWidth}x{model.DefaultHeight}, or 'auto'.",
                InvalidRequest, "size", "invalid_value");
        }

        var job = new JobRequest
        {
            Prompts = [body.Prompt ?? ""],
            Count = body.N ?? 1,
            NegativePrompt = body.NegativePrompt,
            Model = ModelOf(body.Model, catalog),
            Width = size?.Width,
            Height = size?.Height,
            Steps = body.Steps,
            Guidance = body.Guidance,
            Seed = body.Seed,
            Format = body.OutputFormat,
        };
        return (job, body.ResponseFormat is null or "url", refused);
    }

    /// <summary>
    /// OpenAI's own image models (what its clients send when a tool was written for OpenAI) render with the farm's
    /// default model; a name of the catalog with that model; anything else is refused by the job rules, naming it.
    /// </summary>
    private static string? ModelOf(string? requested, ModelCatalog catalog) =>
        requested is not null && catalog.Find(requested) is not null ? requested
        : requested is null || requested.StartsWith("dall-e", StringComparison.Ordinal) || requested.StartsWith("gpt-image", StringComparison.Ordinal) ? null
        : requested;

    private static bool TryParseSize(string? size, out (int Width, int Height)? parsed)
    {
        parsed = null;
        if (size is null or "auto")
        {
            return true;
        }

        var parts = size.Split('x');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height))
        {
            parsed = (width, height);
            return true;
        }

        return false;
    }

    /// <summary>The job rules name fields as our API does; OpenAI's clients know the request's own names.</summary>
    private static string ParamOf(string field) => field switch
    {
        _ when field.StartsWith("prompts", StringComparison.Ordinal) => "prompt",
        "count" => "n",
        "width" or "height" => "size",
        "negativePrompt" => "negative_prompt",
        "format" => "output_format",
        _ => field,
    };

    private static JsonHttpResult<OpenAiErrorResponse> Error(int status, string message, string type, string? param, string? code) =>
        TypedResults.Json(new OpenAiErrorResponse(new OpenAiError(message, type, param, code)), statusCode: status);
}

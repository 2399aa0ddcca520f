using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using RenderFarm.Coordinator.Auth;
using RenderFarm.Coordinator.Automatic1111;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Models;
using RenderFarm.Coordinator.Quotas;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Models;
using RenderFarm.Infrastructure.Imaging;

namespace RenderFarm.Coordinator.Apis;

/// <summary>
/// AUTOMATIC1111's (and Forge's) txt2img API, so that the scripts WebUI users already drive bulk generation with
/// work against the farm: each call is an ordinary job, answered with the images when it finishes.
/// </summary>
public static class Automatic1111Api
{
    // Unknown members pass (A1111 clients send dozens the farm has no use for); numbers in strings are read, as the
    // WebUI's pydantic model reads them. The members the farm uses are still checked, by name.
    private static readonly JsonSerializerOptions RequestJson = new() { NumberHandling = JsonNumberHandling.AllowReadingFromString };

    private static readonly string[] CheckpointSuffixes = [".safetensors", ".ckpt"];

    public static IEndpointRouteBuilder MapAutomatic1111Api(this IEndpointRouteBuilder app)
    {
        var sdapi = app.MapGroup("/sdapi/v1").WithTags("AUTOMATIC1111 API");
        sdapi.MapPost("/txt2img", Txt2ImgAsync)
            .RequireAuthorization(FarmPolicies.Artist)
            .RequireRateLimiting(SubmissionRateLimits.Policy)
            .Accepts<Txt2ImgRequest>("application/json")
            .Produces<WebUiError>(StatusCodes.Status404NotFound)
            .Produces<ValidationErrorResponse>(StatusCodes.Status422UnprocessableEntity)
            .Produces<WebUiError>(StatusCodes.Status500InternalServerError)
            .Produces<WebUiError>(StatusCodes.Status504GatewayTimeout);
        sdapi.MapGet("/sd-models", async (ModelCatalogService catalogs, CancellationToken ct) =>
            TypedResults.Ok<IReadOnlyList<SdModelItem>>([.. (await catalogs.GetAsync(ct)).Models.Select(m => new SdModelItem(m.Name, m.Name, null, null, m.Name, null))]));
        sdapi.MapGet("/samplers", () => TypedResults.Ok(WebUiSamplers.All));
        return app;
    }

    private static async Task<Results<Ok<Txt2ImgResponse>, JsonHttpResult<ValidationErrorResponse>, JsonHttpResult<WebUiError>>> Txt2ImgAsync(
        HttpRequest http, SynchronousJobRunner runner, ModelCatalogService catalogs, CancellationToken cancellationToken)
    {
        JsonObject received;
        Txt2ImgRequest body;
        try
        {
            if (await JsonNode.ParseAsync(http.Body, cancellationToken: cancellationToken) is not JsonObject parsed)
            {
                return Invalid([], "Input should be a valid dictionary", "dict_type");
            }

            received = parsed;
            body = received.Deserialize<Txt2ImgRequest>(RequestJson)!;
        }
        catch (JsonException e)
        {
            var member = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? [] : e.Path.TrimStart('$', '.').Split('.');
            return Invalid(member, $"The value could not be read: {e.Message}", "value_error");
        }

        var samplerName = body.SamplerName ?? body.SamplerIndex;
        if (samplerName is not null && WebUiSamplers.Find(samplerName) is null)
        {
            return Refused(StatusCodes.Status404NotFound, "Sampler not found");
        }

        string? model = null;
        if (body.OverrideSettings?.TryGetValue("sd_model_checkpoint", out var checkpoint) == true && checkpoint.ValueKind != JsonValueKind.Null)
        {
            if (checkpoint.ValueKind != JsonValueKind.String)
            {
                return Invalid(["override_settings", "sd_model_checkpoint"], "Input should be a valid string", "string_type");
            }

            model = ModelOf(checkpoint.GetString()!, await catalogs.GetAsync(cancellationToken));
            if (model is null)
            {
                return Refused(StatusCodes.Status404NotFound, "Model not found");
            }
        }

        var errors = new List<ValidationErrorItem>();
        if (body.Seed is < -1 or > Seeds.Max)
        {
            errors.Add(new(["body", "seed"], $"Seed must be -1 (random) or between 0 and {Seeds.Max}.", "value_error"));
        }

        foreach (var (name, value) in new[] { ("batch_size", body.BatchSize), ("n_iter", body.NIter) })
        {
            if (value is < 1)
            {
                errors.Add(new(["body", name], $"{name} must be at least 1.", "value_error"));
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.Json(new ValidationErrorResponse(errors), statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var batchSize = body.BatchSize ?? 1;
        var count = (long)batchSize * (body.NIter ?? 1);
        var job = new JobRequest
        {
            Prompts = [body.Prompt ?? ""],
            Count = (int)Math.Min(count, int.MaxValue),
            NegativePrompt = body.NegativePrompt,
            Model = model,
            Width = body.Width,
            Height = body.Height,
            Steps = body.Steps,
            Guidance = body.CfgScale,
            Seed = body.Seed is null or -1 ? null : body.Seed,

            // The WebUI answers base64 PNGs with the infotext embedded; clients decode them as PNG.
            Format = "png",
        };

        var result = await runner.RunAsync(job, FarmCaller.From(http.HttpContext.User)?.StudioId, cancellationToken);
        if (result.Outcome == SynchronousJobOutcome.Invalid)
        {
            return TypedResults.Json(
                new ValidationErrorResponse([.. result.Errors.Select(e => new ValidationErrorItem(["body", MemberOf(e.Key)], string.Join(" ", e.Value), "value_error"))]),
                statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        if (result.Outcome == SynchronousJobOutcome.TimedOut)
        {
            return Refused(StatusCodes.Status504GatewayTimeout, $"The images were not ready in time; job {result.JobId:D} was cancelled.", "TimeoutError");
        }

        var rendered = result.Rendered.ToList();
        if (rendered.Count == 0)
        {
            var why = result.Images?.FirstOrDefault(i => i.Error is not null)?.Error ?? $"the job ended {result.Job!.Status}";
            return Refused(StatusCodes.Status500InternalServerError, $"No image could be rendered: {why}", "RuntimeError");
        }

        var images = new List<string>(rendered.Count);
        var infotexts = new List<string>(rendered.Count);
        foreach (var image in rendered)
        {
            var bytes = await runner.ReadAsync(image, cancellationToken);
            images.Add(Convert.ToBase64String(bytes));
            infotexts.Add(ImageMetadataReader.ReadParameters(bytes) ?? "");
        }

        var done = result.Job!;
        var sampler = SamplerOf(infotexts[0]) ?? samplerName ?? "Euler";
        var info = new Txt2ImgInfo(
            rendered[0].Prompt, [.. rendered.Select(i => i.Prompt)],
            done.NegativePrompt ?? "", [.. rendered.Select(_ => done.NegativePrompt ?? "")],
            rendered[0].Seed, [.. rendered.Select(i => i.Seed)],
            -1, [.. rendered.Select(_ => -1L)], 0,
            done.Width, done.Height, sampler, done.Guidance, done.Steps, batchSize,
            RestoreFaces: false, done.Model, SdModelHash: null, SeedResizeFromW: -1, SeedResizeFromH: -1,
            new Dictionary<string, string>(), IndexOfFirstImage: 0, infotexts, Styles: [],
            done.CreatedAt.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture), ClipSkip: 1, Version: "renderfarm");

        // The request as received, with what the farm used for the members it reads (the WebUI echoes its filled-in model).
        var parameters = (JsonObject)received.DeepClone();
        parameters["prompt"] = rendered[0].Prompt;
        parameters["negative_prompt"] = done.NegativePrompt ?? "";
        parameters["steps"] = done.Steps;
        parameters["cfg_scale"] = done.Guidance;
        parameters["width"] = done.Width;
        parameters["height"] = done.Height;
        parameters["seed"] = body.Seed ?? -1;
        parameters["batch_size"] = batchSize;
        parameters["n_iter"] = body.NIter ?? 1;
        parameters["sampler_name"] = sampler;

        return TypedResults.Ok(new Txt2ImgResponse(images, parameters, JsonSerializer.Serialize(info)));
    }

    /// <summary>The catalog model a checkpoint title names: <c>sd-turbo</c>, <c>sd-turbo.safetensors</c> or <c>sd-turbo [hash]</c>.</summary>
    private static string? ModelOf(string title, ModelCatalog catalog)
    {
        var name = title.Trim();
        if (name.EndsWith(']') && name.LastIndexOf(" [", StringComparison.Ordinal) is > 0 and var hash)
        {
            name = name[..hash];
        }

        foreach (var suffix in CheckpointSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                name = name[..^suffix.Length];
            }
        }

        return catalog.Find(name)?.Name;
    }

    /// <summary>The sampler an infotext names (<c>…, Sampler: Euler a, CFG scale: …</c>): the one that rendered.</summary>
    private static string? SamplerOf(string infotext)
    {
        const string Key = "Sampler: ";
        var start = infotext.LastIndexOf(Key, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += Key.Length;
        var end = infotext.IndexOf(',', start);
        return end < 0 ? infotext[start..].Trim() : infotext[start..end];
    }

    /// <summary>The job rules name fields as our API does; A1111 clients know the request's own names.</summary>
    private static string MemberOf(string field) => field switch
    {
        _ when field.StartsWith("prompts", StringComparison.Ordinal) => "prompt",
        "count" => "batch_size",
        "negativePrompt" => "negative_prompt",
        "guidance" => "cfg_scale",
        _ => field,
    };

    private static JsonHttpResult<ValidationErrorResponse> Invalid(IReadOnlyList<string> member, string message, string type) =>
        TypedResults.Json(new ValidationErrorResponse([new(["body", .. member], message, type)]), statusCode: StatusCodes.Status422UnprocessableEntity);

    private static JsonHttpResult<WebUiError> Refused(int status, string detail, string error = "HTTPException") =>
        TypedResults.Json(new WebUiError(error, detail, "", $"{status}: {detail}"), statusCode: status);
}

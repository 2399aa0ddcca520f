using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using RenderFarm.Coordinator.Images;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Storage;

namespace RenderFarm.Coordinator.Apis;

public static class ImagesApi
{
    public static IEndpointRouteBuilder MapImagesApi(this IEndpointRouteBuilder app)
    {
        var images = app.MapGroup("/api/images").WithTags("Images");
        images.MapGet("/", ListAsync)
            .Produces<IReadOnlyList<GalleryImageView>>()
            .ProducesValidationProblem();
        images.MapGet("/{id:guid}", GetAsync)
            .Produces<ImageDetailsView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        images.MapGet("/{id:guid}/content", GetContentAsync)
            .Produces<Stream>(StatusCodes.Status200OK, "image/png", "image/jpeg", "image/webp")
            .ProducesProblem(StatusCodes.Status404NotFound);
        images.MapGet("/{id:guid}/thumbnail", GetThumbnailAsync)
            .Produces<Stream>(StatusCodes.Status200OK, Infrastructure.Imaging.ThumbnailRenderer.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>Rendered images, newest first; <paramref name="prompt"/> matches part of the prompt, ignoring case.</summary>
    /// <remarks>Read as text, like the jobs list: an empty value (as HTML forms send) means "not given", and garbage is named.</remarks>
    private static async Task<IResult> ListAsync(
        ImageQueries queries, string? jobId, string? prompt, string? model, string? from, string? to, string? limit, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        Guid? job = null;
        if (!string.IsNullOrEmpty(jobId))
        {
            if (Guid.TryParse(jobId, out var parsed))
            {
                job = parsed;
            }
            else
            {
                errors["jobId"] = ["The job id must be a GUID."];
            }
        }

        // Searched for in the database, which cannot even compare text holding NUL.
        foreach (var (field, text) in new[] { ("prompt", prompt), ("model", model) })
        {
            if (ControlCharacters.Check(text) is { } refused)
            {
                errors[field] = [refused];
            }
        }

        var since = ParseInstant(from, "from", errors);
        var until = ParseInstant(to, "to", errors);
        var count = 100;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > 1000))
        {
            errors["limit"] = ["Limit must be a whole number between 1 and 1000."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await queries.ListAsync(new ImageFilter(job, prompt, model, since, until, count), cancellationToken));
    }

    private static DateTimeOffset? ParseInstant(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant;
        }

        errors[field] = [$"'{field}' must be a date and time, e.g. 2026-11-23T18:00:00Z."];
        return null;
    }

    private static async Task<IResult> GetAsync(Guid id, ImageQueries queries, CancellationToken cancellationToken) =>
        await queries.GetAsync(id, cancellationToken) is { } image ? TypedResults.Ok(image) : ImageNotFound(id);

    /// <remarks>Streamed through the coordinator rather than redirected to the store, whose address clients often cannot reach.</remarks>
    private static async Task<IResult> GetContentAsync(Guid id, JobQueries queries, IImageStore store, CancellationToken cancellationToken)
    {
        var image = await queries.FindRenderedImageAsync(id, cancellationToken);
        if (image?.ObjectKey is null)
        {
            return ImageNotFound(id);
        }

        return TypedResults.Stream(
            destination => store.CopyToAsync(image.ObjectKey, destination, cancellationToken),
            image.ContentType ?? "application/octet-stream",
            Path.GetFileName(image.ObjectKey));
    }

    private static async Task<IResult> GetThumbnailAsync(Guid id, JobQueries queries, ThumbnailService thumbnails, HttpContext http, CancellationToken cancellationToken)
    {
        var image = await queries.FindRenderedImageAsync(id, cancellationToken);
        if (image?.ObjectKey is null)
        {
            return ImageNotFound(id);
        }

        // A rendered image never changes, so neither does its thumbnail.
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return TypedResults.File(await thumbnails.GetAsync(image, cancellationToken), Infrastructure.Imaging.ThumbnailRenderer.ContentType);
    }

    private static ProblemHttpResult ImageNotFound(Guid id) =>
        TypedResults.Problem(title: "Image not found.", detail: $"There is no rendered image {id:D}.", statusCode: StatusCodes.Status404NotFound);
}

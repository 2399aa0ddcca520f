using Microsoft.AspNetCore.Http.HttpResults;
using RenderFarm.Coordinator.Images;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Storage;

namespace RenderFarm.Coordinator.Apis;

public static class ImagesApi
{
    public static IEndpointRouteBuilder MapImagesApi(this IEndpointRouteBuilder app)
    {
        var images = app.MapGroup("/api/images").WithTags("Images");
        images.MapGet("/", ListAsync);
        images.MapGet("/{id:guid}", GetAsync);
        images.MapGet("/{id:guid}/content", GetContentAsync);
        images.MapGet("/{id:guid}/thumbnail", GetThumbnailAsync);
        return app;
    }

    /// <summary>Rendered images, newest first; <paramref name="prompt"/> matches part of the prompt, ignoring case.</summary>
    private static async Task<IResult> ListAsync(
        ImageQueries queries, Guid? jobId, string? prompt, string? model, DateTimeOffset? from, DateTimeOffset? to, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 1000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["Limit must be between 1 and 1000."] });
        }

        return TypedResults.Ok(await queries.ListAsync(new ImageFilter(jobId, prompt, model, from, to, limit ?? 100), cancellationToken));
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

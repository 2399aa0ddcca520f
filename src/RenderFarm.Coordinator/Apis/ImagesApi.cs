using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Storage;

namespace RenderFarm.Coordinator.Apis;

public static class ImagesApi
{
    public static IEndpointRouteBuilder MapImagesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/images/{id:guid}/content", GetContentAsync).WithTags("Images");
        return app;
    }

    /// <remarks>Streamed through the coordinator rather than redirected to the store, whose address clients often cannot reach.</remarks>
    private static async Task<IResult> GetContentAsync(Guid id, JobQueries queries, IImageStore store, CancellationToken cancellationToken)
    {
        var image = await queries.FindRenderedImageAsync(id, cancellationToken);
        if (image?.ObjectKey is null)
        {
            return TypedResults.Problem(title: "Image not found.", detail: $"There is no rendered image {id:D}.", statusCode: StatusCodes.Status404NotFound);
        }

        return TypedResults.Stream(
            destination => store.CopyToAsync(image.ObjectKey, destination, cancellationToken),
            image.ContentType ?? "application/octet-stream",
            Path.GetFileName(image.ObjectKey));
    }
}

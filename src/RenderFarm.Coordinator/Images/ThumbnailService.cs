using RenderFarm.Core.Images;
using RenderFarm.Core.Storage;
using RenderFarm.Infrastructure.Imaging;

namespace RenderFarm.Coordinator.Images;

/// <summary>Thumbnails are made on first request and kept in the image store beside the images, so every replica shares them.</summary>
public sealed class ThumbnailService(IImageStore store, ILogger<ThumbnailService> logger)
{
    public const string KeyPrefix = "thumbs/";

    /// <summary><c>jobs/{job}/000007.png</c> → <c>thumbs/jobs/{job}/000007.jpg</c>.</summary>
    public static string KeyFor(string objectKey) => KeyPrefix + Path.ChangeExtension(objectKey, ".jpg");

    public async Task<byte[]> GetAsync(JobImage image, CancellationToken cancellationToken)
    {
        var key = KeyFor(image.ObjectKey ?? throw new ArgumentException("The image has not been stored.", nameof(image)));
        using var cached = new MemoryStream();
        try
        {
            await store.CopyToAsync(key, cached, cancellationToken);
            return cached.ToArray();
        }
        catch (FileNotFoundException)
        {
        }

        using var original = new MemoryStream();
        await store.CopyToAsync(image.ObjectKey, original, cancellationToken);
        var thumbnail = ThumbnailRenderer.Render(original.GetBuffer().AsSpan(0, (int)original.Length));

        // Two replicas may both make it at once; they write the same bytes, so the last write wins harmlessly.
        await store.PutAsync(key, thumbnail, ThumbnailRenderer.ContentType, cancellationToken);
        logger.LogDebug("Thumbnail {Key} made for image {ImageId}", key, image.Id);
        return thumbnail;
    }
}

using RenderFarm.Contracts;
using RenderFarm.Core.Storage;

namespace RenderFarm.Worker.Rendering;

/// <summary>
/// Puts an encoded image where its message says: to the presigned address with plain HTTP (a farm's workers hold no
/// storage credentials), or, in the embedded mode, into the store of this very process.
/// </summary>
public sealed class ImageUploader(HttpClient http, IServiceProvider services)
{
    public async Task UploadAsync(RenderImage message, byte[] content, string contentType, CancellationToken cancellationToken)
    {
        if (message.UploadUrl is null)
        {
            var store = services.GetService<IImageStore>()
                ?? throw new InvalidOperationException($"Image {message.ImageId} came without an upload address, and this worker has no image store of its own.");
            await store.PutAsync(message.ObjectKey, content, contentType, cancellationToken);
            return;
        }

        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var response = await http.PutAsync(message.UploadUrl, body, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The address carries its signature: never log or report it, only the key.
            throw new HttpRequestException($"Uploading {message.ObjectKey} failed: {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }
    }
}

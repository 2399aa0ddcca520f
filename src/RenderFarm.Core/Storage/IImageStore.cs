namespace RenderFarm.Core.Storage;

/// <summary>Where rendered images live: MinIO/S3 on a farm, a local folder in the embedded mode.</summary>
public interface IImageStore
{
    Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken);

    /// <summary>
    /// An address a worker can PUT the object to with plain HTTP, valid for <paramref name="lifetime"/>, so workers need
    /// no credentials of the store; null when the store cannot hand out such addresses (a local folder), and the
    /// object must be written with <see cref="PutAsync"/> in the store's own process.
    /// </summary>
    ValueTask<Uri?> CreateUploadUrlAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>Copies the object to <paramref name="destination"/>; throws <see cref="FileNotFoundException"/> when it does not exist.</summary>
    Task CopyToAsync(string key, Stream destination, CancellationToken cancellationToken);

    Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Every object whose key starts with <paramref name="prefix"/>, in key order, as the store pages them out.</summary>
    IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot be reached; creates the bucket or folder when missing.</summary>
    Task EnsureReadyAsync(CancellationToken cancellationToken);
}

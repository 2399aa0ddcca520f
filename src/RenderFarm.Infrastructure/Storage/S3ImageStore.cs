using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;
using RenderFarm.Core.Storage;

namespace RenderFarm.Infrastructure.Storage;

/// <summary>Objects in one bucket of MinIO or any S3-compatible server.</summary>
public sealed class S3ImageStore(IMinioClient client, IOptions<StorageOptions> options) : IImageStore
{
    private readonly string _bucket = options.Value.Bucket;

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        await client.PutObjectAsync(
            new PutObjectArgs()
                .WithBucket(_bucket)
                .WithObject(key)
                .WithStreamData(stream)
                .WithObjectSize(stream.Length)
                .WithContentType(contentType),
            cancellationToken);
    }

    public async ValueTask<Uri?> CreateUploadUrlAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        // Signed locally (the region is configured, so the SDK asks the server nothing): no round trip per image.
        var url = await client.PresignedPutObjectAsync(
            new PresignedPutObjectArgs().WithBucket(_bucket).WithObject(key).WithExpiry((int)lifetime.TotalSeconds));
        return new Uri(url);
    }

    public async Task CopyToAsync(string key, Stream destination, CancellationToken cancellationToken)
    {
        try
        {
            await client.GetObjectAsync(
                new GetObjectArgs()
                    .WithBucket(_bucket)
                    .WithObject(key)
                    .WithCallbackStream((source, ct) => source.CopyToAsync(destination, ct)),
                cancellationToken);
        }
        catch (ObjectNotFoundException e)
        {
            throw new FileNotFoundException($"No object '{key}' in bucket '{_bucket}'.", key, e);
        }
    }

    /// <summary>Multi-object deletes, up to 1,000 keys a request (the SDK pages them), not a request per object.</summary>
    public async Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var errors = await client.RemoveObjectsAsync(new RemoveObjectsArgs().WithBucket(_bucket).WithObjects([.. keys]), cancellationToken);

        // A key already gone is what a delete wants; anything else is a failure the caller retries or reports.
        if (errors.Where(e => e.Code != "NoSuchKey").ToList() is { Count: > 0 } failed)
        {
            throw new IOException($"S3 refused to delete {failed.Count} of {keys.Count} objects, e.g. '{failed[0].Key}': {failed[0].Code} {failed[0].Message}");
        }
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in client.ListObjectsEnumAsync(new ListObjectsArgs().WithBucket(_bucket).WithPrefix(prefix).WithRecursive(true), cancellationToken))
        {
            if (!item.IsDir)
            {
                yield return new StoredObject(item.Key, item.LastModifiedDateTime is { } modified ? new DateTimeOffset(DateTime.SpecifyKind(modified, DateTimeKind.Utc)) : DateTimeOffset.MinValue);
            }
        }
    }

    public async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (!await client.BucketExistsAsync(new BucketExistsArgs().WithBucket(_bucket), cancellationToken))
        {
            await client.MakeBucketAsync(new MakeBucketArgs().WithBucket(_bucket), cancellationToken);
        }
    }
}

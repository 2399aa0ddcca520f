using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Infrastructure.Storage;

/// <summary>Section <c>Storage</c>: MinIO (or any S3 endpoint) on a farm, a local folder in the embedded mode.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.S3;

    /// <summary>Root folder of the local store.</summary>
    public string LocalPath { get; set; } = "";

    /// <summary>S3 endpoint as host:port, e.g. <c>minio:9000</c>.</summary>
    public string Endpoint { get; set; } = "";

    public string AccessKey { get; set; } = "";

    public string SecretKey { get; set; } = "";

    [RegularExpression("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", ErrorMessage = "Storage:Bucket must be a valid S3 bucket name.")]
    public string Bucket { get; set; } = "renderfarm";

    public string Region { get; set; } = "us-east-1";

    public bool UseSsl { get; set; }

    /// <summary>
    /// How long a presigned upload address in a dispatched message stays valid. Messages wait at most a few batch
    /// times in a queue, and a re-dispatch issues a new address.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan UploadUrlLifetime { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == StorageProvider.LocalFolder && string.IsNullOrWhiteSpace(LocalPath))
        {
            yield return new ValidationResult("Storage:LocalPath is required for the LocalFolder provider.", [nameof(LocalPath)]);
        }

        if (Provider == StorageProvider.S3)
        {
            foreach (var (name, value) in new[] { (nameof(Endpoint), Endpoint), (nameof(AccessKey), AccessKey), (nameof(SecretKey), SecretKey) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    yield return new ValidationResult($"Storage:{name} is required for the S3 provider.", [name]);
                }
            }
        }
    }
}

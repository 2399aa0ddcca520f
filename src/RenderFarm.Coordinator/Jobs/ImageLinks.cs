using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace RenderFarm.Coordinator.Jobs;

/// <summary>
/// Expiring, signed addresses of single images (<c>/v1/files/{token}</c>) for clients that fetch images without a
/// key. The token is the image id protected with the replicas' shared data-protection keys, so any replica reads it.
/// </summary>
public sealed class ImageLinks(IDataProtectionProvider protection, IOptions<SynchronousJobsOptions> options)
{
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("RenderFarm.ImageLinks").ToTimeLimitedDataProtector();

    public string PathFor(Guid imageId) => $"/v1/files/{_protector.Protect(imageId.ToString("N"), options.Value.LinkLifetime)}";

    /// <summary>The image a token names; null when it is forged, damaged or expired.</summary>
    public Guid? ImageOf(string token)
    {
        try
        {
            return Guid.TryParseExact(_protector.Unprotect(token), "N", out var id) ? id : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}

namespace RenderFarm.Coordinator.Auth;

/// <summary>
/// The <c>Auth:Jwt</c> section: optional OIDC/JWT bearer tokens beside keys. Set <see cref="Authority"/> (an OIDC
/// issuer, keys fetched from its discovery document) or <see cref="SigningKey"/> (a shared HMAC secret, base64).
/// </summary>
public sealed class JwtTokenOptions
{
    public const string SectionName = "Auth:Jwt";

    public string? Authority { get; set; }

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>Base64 of at least 32 bytes, for HS256 tokens.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The claim that names the caller's studio (by name).</summary>
    public string StudioClaim { get; set; } = "studio";

    /// <summary>The claim that holds the caller's role: viewer, artist, manager or admin.</summary>
    public string RoleClaim { get; set; } = "renderfarm_role";

    public bool IsEnabled => !string.IsNullOrEmpty(Authority) || !string.IsNullOrEmpty(SigningKey);
}

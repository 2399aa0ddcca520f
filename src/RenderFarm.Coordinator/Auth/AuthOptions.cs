using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Coordinator.Auth;

/// <summary>The <c>Auth</c> section: the first admin key, web sessions and which other origins may call the API.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// An admin key (made with <c>renderfarm keys generate</c>) that becomes the farm's first key when the key table is
    /// empty; ignored once any key exists, so revoking it stays revoked. There is no built-in default.
    /// </summary>
    [RegularExpression("^rf_[A-Za-z0-9_-]{43,}$", ErrorMessage = "Auth:BootstrapAdminKey must be a key as `renderfarm keys generate` prints it (rf_ and 43 or more base64url characters).")]
    public string? BootstrapAdminKey { get; set; }

    /// <summary>The studio the bootstrap key belongs to, created with it.</summary>
    [RegularExpression(StudioNames.Pattern, ErrorMessage = StudioNames.Rule)]
    public string BootstrapStudio { get; set; } = "operations";

    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Browser origins other than the coordinator's own that may call the API (CORS); none by default.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}

using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace RenderFarm.Coordinator.Auth;

/// <summary><c>Authorization: Bearer rf_…</c>: the key's studio and role become the caller's.</summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerValue(Request) is not { } presented)
        {
            return AuthenticateResult.NoResult();
        }

        // The reason is generic on purpose: which of unknown, revoked or expired it was is the key holder's business.
        if (await keys.FindUsableAsync(presented, Context.RequestAborted) is not { } key)
        {
            return AuthenticateResult.Fail("The API key is not valid (unknown, revoked or expired).");
        }

        var caller = new FarmCaller(key.StudioId, key.Role, key.Id, key.Prefix);
        return AuthenticateResult.Success(new AuthenticationTicket(new(caller.ToIdentity(SchemeName)), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }

    /// <summary>The bearer value when there is one: anything after <c>Bearer </c>, trimmed.</summary>
    public static string? BearerValue(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}

using System.Security.Claims;
using RenderFarm.Core.Studios;

namespace RenderFarm.Coordinator.Auth;

/// <summary>Who is calling: their studio, role and key, read from the claims every sign-in method produces.</summary>
/// <param name="Actor">What the audit log names: the key's prefix or the token's subject, never a secret.</param>
public sealed record FarmCaller(Guid StudioId, StudioRole Role, Guid? KeyId, string Actor)
{
    public bool IsAdmin => Role == StudioRole.Admin;

    public static FarmCaller? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true
            || !Guid.TryParse(user.FindFirstValue(FarmClaims.Studio), out var studio)
            || !Enum.TryParse<StudioRole>(user.FindFirstValue(FarmClaims.Role), ignoreCase: true, out var role))
        {
            return null;
        }

        var key = Guid.TryParse(user.FindFirstValue(FarmClaims.KeyId), out var id) ? id : (Guid?)null;
        return new FarmCaller(studio, role, key, user.FindFirstValue(FarmClaims.Actor) ?? "unknown");
    }

    /// <summary>May this caller act on <paramref name="studioId"/>'s things? Admins on every studio's.</summary>
    public bool MayManage(Guid studioId) => IsAdmin || (Role >= StudioRole.Manager && StudioId == studioId);

    public ClaimsIdentity ToIdentity(string authenticationType) => new(
        [
            new Claim(FarmClaims.Studio, StudioId.ToString("D")),
            new Claim(FarmClaims.Role, Role.ToString().ToLowerInvariant()),
            new Claim(FarmClaims.Actor, Actor),
            .. KeyId is { } key ? [new Claim(FarmClaims.KeyId, key.ToString("D"))] : Array.Empty<Claim>(),
        ],
        authenticationType,
        FarmClaims.Actor,
        FarmClaims.Role);
}

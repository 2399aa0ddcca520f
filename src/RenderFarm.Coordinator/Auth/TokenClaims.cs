using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using RenderFarm.Core.Studios;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Auth;

/// <summary>Turns a validated token's studio and role claims into the farm's caller, or refuses the token.</summary>
internal static class TokenClaims
{
    public static async Task MapAsync(TokenValidatedContext context, JwtTokenOptions options)
    {
        var principal = context.Principal!;
        var studioName = principal.FindFirst(options.StudioClaim)?.Value;
        var roleName = principal.FindFirst(options.RoleClaim)?.Value;
        if (studioName is null || !Enum.TryParse<StudioRole>(roleName, ignoreCase: true, out var role) || !Enum.IsDefined(role))
        {
            context.Fail($"The token needs a '{options.StudioClaim}' claim and a '{options.RoleClaim}' claim (viewer, artist, manager or admin).");
            return;
        }

        var db = context.HttpContext.RequestServices.GetRequiredService<RenderFarmDbContext>();
        var studio = await db.Studios.AsNoTracking().Where(s => s.Name == studioName).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(context.HttpContext.RequestAborted);
        if (studio is null)
        {
            context.Fail($"The token's studio '{studioName}' does not exist on this farm.");
            return;
        }

        var subject = principal.FindFirst("sub")?.Value ?? "token";
        var caller = new FarmCaller(studio.Value, role, KeyId: null, Actor: $"token:{subject}"[..Math.Min(128, 6 + subject.Length)]);
        context.Principal = new(caller.ToIdentity(JwtBearerDefaults.AuthenticationScheme));
    }
}

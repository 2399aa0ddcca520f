using Microsoft.AspNetCore.Authorization;
using RenderFarm.Core.Studios;

namespace RenderFarm.Coordinator.Auth;

/// <summary>One policy per role; a role includes those below it (a manager may do what an artist may).</summary>
public static class FarmPolicies
{
    public const string Viewer = nameof(Viewer);
    public const string Artist = nameof(Artist);
    public const string Manager = nameof(Manager);
    public const string Admin = nameof(Admin);

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Viewer, AtLeast(StudioRole.Viewer));
        options.AddPolicy(Artist, AtLeast(StudioRole.Artist));
        options.AddPolicy(Manager, AtLeast(StudioRole.Manager));
        options.AddPolicy(Admin, AtLeast(StudioRole.Admin));

        // Every endpoint needs a caller unless it says otherwise (AllowAnonymous: /alive, /health, signing in), so a
        // new endpoint is closed until someone decides to open it.
        options.FallbackPolicy = AtLeast(StudioRole.Viewer);
    }

    private static AuthorizationPolicy AtLeast(StudioRole role) =>
        new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .RequireAssertion(context => FarmCaller.From(context.User) is { } caller && caller.Role >= role)
            .Build();
}

using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RenderFarm.Coordinator.Auth;
using RenderFarm.Coordinator.Studios;

namespace RenderFarm.Coordinator.Apis;

/// <summary>The web UI's sign-in: a key exchanged for an HttpOnly, SameSite=Strict session cookie that names the key.</summary>
public static class SessionApi
{
    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/api/session").WithTags("Session");
        session.MapGet("/", async (HttpContext http, StudioService studios, CancellationToken ct) => TypedResults.Ok(await ViewAsync(FarmCaller.From(http.User)!, studios, ct)));
        session.MapPost("/", SignInAsync).AllowAnonymous();
        session.MapDelete("/", async (HttpContext http) =>
        {
            await http.SignOutAsync(AuthServiceCollectionExtensions.SessionScheme);
            return TypedResults.NoContent();
        }).AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<CallerView>, ValidationProblem, ProblemHttpResult>> SignInAsync(
        HttpRequest request, ApiKeyStore keys, StudioService studios, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequestBody.ReadAsync<SignInRequest>(request, json.Value.SerializerOptions, "sign-in", cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        if (string.IsNullOrEmpty(body.Key))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["key"] = ["Paste your API key."] });
        }

        if (await keys.FindUsableAsync(body.Key, cancellationToken) is not { } key)
        {
            return TypedResults.Problem(title: "Sign-in failed.", detail: "The API key is not valid (unknown, revoked or expired).", statusCode: StatusCodes.Status401Unauthorized);
        }

        var caller = new FarmCaller(key.StudioId, key.Role, key.Id, key.Prefix);
        await request.HttpContext.SignInAsync(AuthServiceCollectionExtensions.SessionScheme, new ClaimsPrincipal(caller.ToIdentity(AuthServiceCollectionExtensions.SessionScheme)));
        return TypedResults.Ok(await ViewAsync(caller, studios, cancellationToken));
    }

    private static async Task<CallerView> ViewAsync(FarmCaller caller, StudioService studios, CancellationToken cancellationToken) =>
        new(caller.StudioId, await studios.NameAsync(caller.StudioId, cancellationToken) ?? "", caller.Role.ToString().ToLowerInvariant(), caller.Actor);
}

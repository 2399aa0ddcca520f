using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RenderFarm.Coordinator.Auth;
using RenderFarm.Coordinator.Studios;

namespace RenderFarm.Coordinator.Apis;

/// <summary>Studios (admins create them and set quotas), their keys (managers) and the audit log.</summary>
public static class StudiosApi
{
    public static IEndpointRouteBuilder MapStudiosApi(this IEndpointRouteBuilder app)
    {
        var studios = app.MapGroup("/api/studios").WithTags("Studios");
        studios.MapGet("/", (HttpContext http, StudioService service, CancellationToken ct) => ListAsync(service, Caller(http), ct));
        studios.MapPost("/", CreateAsync).RequireAuthorization(FarmPolicies.Admin);
        studios.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(FarmPolicies.Admin);

        var keys = app.MapGroup("/api/keys").WithTags("Keys").RequireAuthorization(FarmPolicies.Manager);
        keys.MapGet("/", async (Guid? studioId, HttpContext http, StudioService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ListKeysAsync(Caller(http), studioId, ct)));
        keys.MapPost("/", CreateKeyAsync);
        keys.MapPost("/{id:guid}/revoke", async Task<Results<Ok<ApiKeyView>, ProblemHttpResult>> (Guid id, HttpContext http, StudioService service, CancellationToken ct) =>
            await service.RevokeKeyAsync(Caller(http), id, ct) is { } key
                ? TypedResults.Ok(key)
                : TypedResults.Problem(title: "Key not found.", detail: $"There is no key {id:D} you manage.", statusCode: StatusCodes.Status404NotFound));

        app.MapGet("/api/audit", ListAuditAsync).WithTags("Audit").RequireAuthorization(FarmPolicies.Manager);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<StudioView>>> ListAsync(StudioService service, FarmCaller caller, CancellationToken cancellationToken) =>
        TypedResults.Ok(await service.ListAsync(caller, cancellationToken));

    private static async Task<Results<Created<StudioView>, ValidationProblem>> CreateAsync(
        HttpRequest request, StudioService service, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequestBody.ReadAsync<StudioRequest>(request, json.Value.SerializerOptions, "studio", cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var (studio, errors) = await service.CreateAsync(body, cancellationToken);
        return studio is null ? TypedResults.ValidationProblem(errors, title: "The studio is not valid.") : TypedResults.Created($"/api/studios/{studio.Id:D}", studio);
    }

    private static async Task<Results<Ok<StudioView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, HttpRequest request, StudioService service, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequestBody.ReadAsync<StudioRequest>(request, json.Value.SerializerOptions, "studio", cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var (found, studio, errors) = await service.UpdateAsync(id, body, cancellationToken);
        if (!found)
        {
            return TypedResults.Problem(title: "Studio not found.", detail: $"There is no studio {id:D}.", statusCode: StatusCodes.Status404NotFound);
        }

        return studio is null ? TypedResults.ValidationProblem(errors, title: "The studio is not valid.") : TypedResults.Ok(studio);
    }

    private static async Task<Results<Created<ApiKeyCreated>, ValidationProblem>> CreateKeyAsync(
        HttpRequest request, StudioService service, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequestBody.ReadAsync<ApiKeyRequest>(request, json.Value.SerializerOptions, "key request", cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var (created, errors) = await service.CreateKeyAsync(Caller(request.HttpContext), body, cancellationToken);
        return created is null ? TypedResults.ValidationProblem(errors, title: "The key request is not valid.") : TypedResults.Created($"/api/keys/{created.Info.Id:D}", created);
    }

    private static async Task<Results<Ok<IReadOnlyList<AuditEntryView>>, ValidationProblem>> ListAuditAsync(
        Guid? studioId, string? limit, HttpContext http, StudioService service, CancellationToken cancellationToken)
    {
        var count = 100;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, out count) || count is < 1 or > 1000))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["Limit must be a whole number between 1 and 1000."] });
        }

        return TypedResults.Ok(await service.ListAuditAsync(Caller(http), studioId, count, cancellationToken));
    }

    /// <remarks>Every endpoint here requires a signed-in caller, so there is one.</remarks>
    private static FarmCaller Caller(HttpContext http) => FarmCaller.From(http.User)!;
}

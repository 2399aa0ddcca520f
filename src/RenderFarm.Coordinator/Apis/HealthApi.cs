using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RenderFarm.Coordinator.Health;

namespace RenderFarm.Coordinator.Apis;

public static class HealthApi
{
    /// <summary><c>/health</c>: ready to serve (database, bus, store), with each check's verdict. <c>/alive</c>: the process answers.</summary>
    /// <remarks>
    /// Minimal API handlers over <see cref="HealthCheckService"/> rather than <c>MapHealthChecks</c>, whose endpoints
    /// carry no handler the OpenAPI document could describe; the answers are the same (503 when unhealthy, never cached).
    /// </remarks>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        // Open: probes and load balancers hold no key.
        app.MapGet("/health", (HealthCheckService health, HttpContext http, CancellationToken ct) =>
                CheckAsync(health, check => check.Tags.Contains("ready"), http, ct))
            .Produces<HealthReportView>(StatusCodes.Status503ServiceUnavailable)
            .WithTags("Health")
            .AllowAnonymous();
        app.MapGet("/alive", (HealthCheckService health, HttpContext http, CancellationToken ct) =>
                CheckAsync(health, _ => false, http, ct))
            .Produces<HealthReportView>(StatusCodes.Status503ServiceUnavailable)
            .WithTags("Health")
            .AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<HealthReportView>, JsonHttpResult<HealthReportView>>> CheckAsync(
        HealthCheckService health, Func<HealthCheckRegistration, bool> predicate, HttpContext http, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(predicate, cancellationToken);
        var view = new HealthReportView(
            report.Status.ToString(),
            report.Entries.ToDictionary(
                e => e.Key,
                e => new HealthCheckView(e.Value.Status.ToString(), e.Value.Description ?? e.Value.Exception?.Message)));

        // Probes must see the verdict of now, never a proxy's copy.
        http.Response.Headers.CacheControl = "no-store, no-cache";
        return report.Status == HealthStatus.Unhealthy
            ? TypedResults.Json(view, statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(view);
    }
}

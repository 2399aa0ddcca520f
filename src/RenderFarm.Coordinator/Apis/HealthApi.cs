using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace RenderFarm.Coordinator.Apis;

public static class HealthApi
{
    /// <summary><c>/health</c>: ready to serve (database, bus, store). <c>/alive</c>: the process answers.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = _ => false });
        return app;
    }
}

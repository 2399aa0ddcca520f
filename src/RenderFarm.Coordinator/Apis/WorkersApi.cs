using RenderFarm.Coordinator.Workers;

namespace RenderFarm.Coordinator.Apis;

public static class WorkersApi
{
    public static IEndpointRouteBuilder MapWorkersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/workers", async (WorkerRegistry workers, CancellationToken cancellationToken) =>
            TypedResults.Ok(await workers.ListLiveAsync(cancellationToken))).WithTags("Workers");
        return app;
    }
}

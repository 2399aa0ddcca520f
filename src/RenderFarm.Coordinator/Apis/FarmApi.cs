using RenderFarm.Coordinator.Farm;

namespace RenderFarm.Coordinator.Apis;

public static class FarmApi
{
    public static IEndpointRouteBuilder MapFarmApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/farm", async (FarmQueries farm, CancellationToken cancellationToken) =>
            TypedResults.Ok(await farm.GetAsync(cancellationToken))).WithTags("Farm");
        return app;
    }
}

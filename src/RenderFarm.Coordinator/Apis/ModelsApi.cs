using RenderFarm.Coordinator.Models;

namespace RenderFarm.Coordinator.Apis;

public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/models", async (ModelCatalogService catalogs, CancellationToken cancellationToken) =>
        {
            var catalog = await catalogs.GetAsync(cancellationToken);
            return TypedResults.Ok(catalog.Models.Select(m => ModelView.From(m, catalog.DefaultName)).ToList());
        }).WithTags("Models");
        return app;
    }
}

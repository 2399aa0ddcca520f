using Microsoft.Extensions.Options;
using RenderFarm.Coordinator.Models;
using RenderFarm.Core.Models;

namespace RenderFarm.Coordinator.Apis;

public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/models", (IOptions<ModelCatalogOptions> catalog) =>
        {
            var defaultModel = catalog.Value.Find(null)?.Name;
            return TypedResults.Ok(catalog.Value.Available
                .Select(m => new ModelView(m.Name, m.Name == defaultModel, m.SizeMultiple, m.MinSize, m.MaxSize,
                    m.DefaultWidth, m.DefaultHeight, m.DefaultSteps, m.DefaultGuidance))
                .ToList());
        }).WithTags("Models");
        return app;
    }
}

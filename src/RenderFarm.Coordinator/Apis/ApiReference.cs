using Scalar.AspNetCore;

namespace RenderFarm.Coordinator.Apis;

/// <summary>The OpenAPI document of every endpoint (<c>/openapi/v1.json</c>) and its interactive reference page (<c>/docs</c>).</summary>
public static class ApiReference
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddApiReference(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "RenderFarm coordinator";
            document.Info.Description =
                "Jobs, images, schedules and the farm's state (`/api`), plus the OpenAI Images API (`/v1`) and the " +
                "AUTOMATIC1111 txt2img API (`/sdapi/v1`) for tools that already speak those. Bad input answers RFC 7807 " +
                "problem details naming the field; the compatible APIs answer in their own error shapes.";
            return Task.CompletedTask;
        }));

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        // Open like the README: the API's shape is no studio's data, and people read it before they hold a key.
        app.MapOpenApi().AllowAnonymous();

        // Scalar serves its page and scripts from its own assembly; without its default fonts (from its CDN) nothing is fetched from elsewhere, like the web UI.
        app.MapScalarApiReference("/docs", options =>
        {
            options.WithTitle("RenderFarm API").WithOpenApiRoutePattern(DocumentPath);
            options.DefaultFonts = false;
        }).AllowAnonymous();
        return app;
    }
}

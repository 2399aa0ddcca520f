using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Prometheus;

namespace RenderFarm.Worker.Health;

/// <summary>
/// The worker's own small HTTP server on <see cref="WorkerOptions.MetricsPort"/>: <c>/metrics</c> for Prometheus,
/// <c>/alive</c> (the process answers) and <c>/health</c> (ready: models loaded and the bus connected) for probes.
/// It starts before the models load (registered before <see cref="Rendering.ModelPreloader"/>), so a liveness probe
/// answers while a large model loads and readiness says why it is not ready yet.
/// </summary>
public sealed class WorkerHttpEndpoint(HealthCheckService health, IOptions<WorkerOptions> options, ILogger<WorkerHttpEndpoint> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var port = options.Value.MetricsPort;
        if (port == 0)
        {
            return;
        }

        // An empty builder: no configuration, no logging providers, nothing of the worker's host but what is passed in.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.ListenAnyIP(port));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.MapMetrics();
        app.MapGet("/alive", (HttpContext http) => Answer(http, new HealthReportView("Healthy", new Dictionary<string, HealthCheckView>()), healthy: true));
        app.MapGet("/health", async (HttpContext http, CancellationToken ct) =>
        {
            var report = await health.CheckHealthAsync(check => check.Tags.Contains("ready"), ct);
            var view = new HealthReportView(
                report.Status.ToString(),
                report.Entries.ToDictionary(e => e.Key, e => new HealthCheckView(e.Value.Status.ToString(), e.Value.Description ?? e.Value.Exception?.Message)));
            return Answer(http, view, report.Status != HealthStatus.Unhealthy);
        });

        await app.StartAsync(cancellationToken);
        _app = app;
        logger.LogInformation("Serving /metrics, /alive and /health on port {Port}", port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private static JsonHttpResult<HealthReportView> Answer(HttpContext http, HealthReportView view, bool healthy)
    {
        // Probes must see the verdict of now, never a proxy's copy.
        http.Response.Headers.CacheControl = "no-store, no-cache";
        return TypedResults.Json(view, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RenderFarm.Worker;
using RenderFarm.Worker.Health;

namespace RenderFarm.UnitTests.Health;

/// <summary>The worker's own HTTP server, on a real port: probes answer while models load, readiness only after.</summary>
public sealed class WorkerHttpEndpointTests
{
    [Fact]
    public async Task Alive_answers_at_once_and_health_only_once_the_models_are_loaded()
    {
        var port = FreePort();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<WorkerReadiness>();
        services.AddHealthChecks().AddCheck<ModelsLoadedHealthCheck>(ModelsLoadedHealthCheck.Name, tags: ["ready"]);
        services.AddSingleton(Options.Create(new WorkerOptions { MetricsPort = port }));
        services.AddSingleton<WorkerHttpEndpoint>();
        await using var provider = services.BuildServiceProvider();
        var endpoint = provider.GetRequiredService<WorkerHttpEndpoint>();
        await endpoint.StartAsync(CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var alive = await http.GetAsync(new Uri("/alive", UriKind.Relative));
        var loading = await http.GetAsync(new Uri("/health", UriKind.Relative));
        provider.GetRequiredService<WorkerReadiness>().ModelsLoaded(["sd-turbo"]);
        var ready = await http.GetAsync(new Uri("/health", UriKind.Relative));
        var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        await endpoint.StopAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, loading.StatusCode);
        Assert.Contains("Models are loading.", await loading.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("sd-turbo", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("no-store", loading.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>The worker's probe endpoints on a worker host connected to the real broker.</summary>
public sealed class WorkerProbeTests
{
    [Fact]
    public async Task A_started_worker_is_alive_and_ready_with_its_models_loaded_and_its_bus_connected()
    {
        var model = TestFarm.NewModelName();
        var port = FreePort();
        await using var farm = await TestFarm.StartAsync(
            model, coordinators: 1, [new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(10))],
            new Dictionary<string, string?> { ["Worker:MetricsPort"] = port.ToString(CultureInfo.InvariantCulture) });
        using var worker = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var alive = await worker.GetAsync(new Uri("/alive", UriKind.Relative));
        var health = await worker.GetAsync(new Uri("/health", UriKind.Relative));
        var body = await health.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.True(health.StatusCode == HttpStatusCode.OK, body);
        using var report = JsonDocument.Parse(body);
        var checks = report.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("models").GetProperty("status").GetString());
        Assert.Contains(model, checks.GetProperty("models").GetProperty("description").GetString(), StringComparison.Ordinal);

        // MassTransit's own readiness check of the bus: unhealthy until the broker connection is up.
        Assert.Contains(checks.EnumerateObject(), c => c.Name.StartsWith("masstransit", StringComparison.Ordinal) && c.Value.GetProperty("status").GetString() == "Healthy");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

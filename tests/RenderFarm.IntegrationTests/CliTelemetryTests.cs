using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using RenderFarm.Cli;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>The embedded farm (<c>renderfarm render</c> without a server) sends traces and metrics to the collector the environment names.</summary>
public sealed class CliTelemetryTests : IDisposable
{
    private readonly DirectoryInfo _out = Directory.CreateTempSubdirectory("rf-embedded-otlp-");

    public void Dispose() => _out.Delete(recursive: true);

    [Fact]
    public async Task An_embedded_render_exports_its_spans_and_metrics_over_OTLP()
    {
        var port = FreePort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new ConcurrentBag<(string Path, byte[] Body)>();
        var listening = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await collector.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                received.Add((context.Request.Url!.AbsolutePath, body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        Environment.SetEnvironmentVariable("Telemetry__OtlpEndpoint", $"http://127.0.0.1:{port}");
        Environment.SetEnvironmentVariable("Telemetry__OtlpProtocol", "http/protobuf");
        int exit;
        using var console = new CapturedConsole();
        try
        {
            // The farm's host is disposed when the command ends, which flushes both exporters.
            exit = await CliApplication.Create(console.Console).Parse(["render", "a red circle", "--seed", "3", "--out", _out.FullName]).InvokeAsync();
        }
        finally
        {
            Environment.SetEnvironmentVariable("Telemetry__OtlpEndpoint", null);
            Environment.SetEnvironmentVariable("Telemetry__OtlpProtocol", null);
        }

        collector.Stop();
        await listening;

        Assert.True(exit == 0, console.Text);
        Assert.Contains(received, r => r.Path == "/v1/traces" && Contains(r.Body, "render batch"));
        Assert.Contains(received, r => r.Path == "/v1/metrics" && Contains(r.Body, "worker.images"));
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

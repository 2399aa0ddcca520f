using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RenderFarm.Core.Telemetry;
using RenderFarm.Infrastructure.Telemetry;

namespace RenderFarm.UnitTests.Telemetry;

public sealed class TelemetryServiceCollectionTests
{
    [Fact]
    public void Log_lines_carry_the_trace_and_span_ids()
    {
        using var provider = Build([]);

        var tracking = provider.GetRequiredService<IOptions<LoggerFactoryOptions>>().Value.ActivityTrackingOptions;

        Assert.True(tracking.HasFlag(ActivityTrackingOptions.TraceId));
        Assert.True(tracking.HasFlag(ActivityTrackingOptions.SpanId));
    }

    [Fact]
    public void The_OTLP_exporter_is_configured_only_when_an_endpoint_is_set()
    {
        using var without = Build([]);
        using var with = Build(new() { ["Telemetry:OtlpEndpoint"] = "http://collector:4318", ["Telemetry:OtlpProtocol"] = "http/protobuf" });

        // AddOtlpExporter registers its options' configuration; without an endpoint nothing configures them.
        Assert.Empty(without.GetServices<IConfigureOptions<OtlpExporterOptions>>());
        var otlp = with.GetRequiredService<IOptionsMonitor<OtlpExporterOptions>>().Get(Options.DefaultName);
        Assert.Equal(new Uri("http://collector:4318/v1/traces"), otlp.Endpoint);
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, otlp.Protocol);
        Assert.Null(without.GetService<MeterProvider>());
        Assert.NotNull(with.GetService<MeterProvider>());
    }

    /// <summary>The farm's meter goes to the same collector as the spans, at its /v1/metrics.</summary>
    [Fact]
    public async Task The_farm_meter_is_exported_over_OTLP_to_the_configured_collector()
    {
        var (_, path, _, body) = await ExportToLocalCollectorAsync(
            provider =>
            {
                _ = provider.GetRequiredService<MeterProvider>();
                FarmMetrics.ModelLoadSeconds.Record(1.5, new("model", "otlp-test"), new("device", "cpu"));
            },
            provider => provider.GetRequiredService<MeterProvider>().ForceFlush(30_000));

        Assert.Equal("/v1/metrics", path);
        Assert.True(body.AsSpan().IndexOf("model.load_seconds"u8) >= 0, "the instrument is not in the exported batch");
        Assert.True(body.AsSpan().IndexOf("otlp-test"u8) >= 0, "the measurement's model is not in the exported batch");
    }

    /// <summary>A collector's base address over OTLP/HTTP, as operators write it: the spans reach its /v1/traces.</summary>
    [Fact]
    public async Task Spans_are_exported_over_OTLP_to_the_configured_collector()
    {
        var (method, path, contentType, body) = await ExportToLocalCollectorAsync(
            provider =>
            {
                _ = provider.GetRequiredService<TracerProvider>();
                using var span = FarmTracing.Source.StartActivity("dispatch round");
                Assert.NotNull(span);
            },
            provider => provider.GetRequiredService<TracerProvider>().ForceFlush(30_000));

        Assert.Equal("POST", method);
        Assert.Equal("/v1/traces", path);
        Assert.Equal("application/x-protobuf", contentType);
        Assert.True(body.AsSpan().IndexOf("dispatch round"u8) >= 0, "the span's name is not in the exported batch");
    }

    [Fact]
    public void An_unknown_OTLP_protocol_is_refused_by_name()
    {
        using var provider = Build(new() { ["Telemetry:OtlpProtocol"] = "udp" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TelemetryOptions>>().Value);

        Assert.Contains("Telemetry:OtlpProtocol", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", true)]
    [InlineData("not a traceparent", false)]
    [InlineData(null, false)]
    public void A_stored_traceparent_becomes_the_parent_only_when_it_parses(string? traceParent, bool parses)
    {
        var context = FarmTracing.ParseTraceParent(traceParent);

        Assert.Equal(parses, context != default);
        if (parses)
        {
            Assert.Equal("0af7651916cd43dd8448eb211c80319c", context.TraceId.ToHexString());
            Assert.True(context.IsRemote);
        }
    }

    [Fact]
    public void The_current_span_is_stored_as_a_W3C_traceparent()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "RenderFarm.UnitTests.Tracing",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("RenderFarm.UnitTests.Tracing");
        using var activity = source.StartActivity("submit")!;

        var stored = FarmTracing.CurrentTraceParent();

        Assert.Equal(activity.Id, stored);
        Assert.Equal(activity.TraceId, FarmTracing.ParseTraceParent(stored).TraceId);
    }

    /// <summary>
    /// Builds the telemetry with a local listener as its OTLP/HTTP collector, lets <paramref name="record"/> record,
    /// flushes, and answers the one request the exporter sends.
    /// </summary>
    private static async Task<(string Method, string Path, string? ContentType, byte[] Body)> ExportToLocalCollectorAsync(
        Action<ServiceProvider> record, Func<ServiceProvider, bool> flush)
    {
        var port = FreePort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        using var provider = Build(new() { ["Telemetry:OtlpEndpoint"] = $"http://127.0.0.1:{port}", ["Telemetry:OtlpProtocol"] = "http/protobuf" });
        var received = collector.GetContextAsync();

        record(provider);

        var flushed = Task.Run(() => flush(provider));
        var context = await received.WaitAsync(TimeSpan.FromSeconds(30));
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        context.Response.StatusCode = 200;
        context.Response.Close();
        await flushed;
        return (context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddRenderFarmTelemetry(configuration, "renderfarm-test");
        return services.BuildServiceProvider();
    }
}

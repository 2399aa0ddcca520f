using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RenderFarm.Core.Telemetry;

namespace RenderFarm.Infrastructure.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>MassTransit's ActivitySource: send, receive and consume spans, and the context it carries in message headers.</summary>
    public const string MassTransitSource = "MassTransit";

    /// <summary>The metrics exporter's options name: its endpoint path differs from the traces exporter's.</summary>
    public const string MetricsExporterName = "metrics";

    /// <summary>
    /// Traces of the farm's own spans, MassTransit's, ASP.NET Core's, HttpClient's and Npgsql's, and the farm's meter,
    /// exported over OTLP when <see cref="TelemetryOptions.OtlpEndpoint"/> is set. The tracer provider runs either way, so
    /// log lines carry the trace id of the image they are about and a test (or a later exporter) can see the spans.
    /// </summary>
    public static IServiceCollection AddRenderFarmTelemetry(this IServiceCollection services, IConfiguration configuration, string defaultServiceName)
    {
        services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Read here as well as bound: whether an exporter exists is decided while the provider is built.
        var settings = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();

        services.AddHostedService<MetricsListenerStarter>();

        services.Configure<LoggerFactoryOptions>(logging =>
            logging.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        var openTelemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName ?? defaultServiceName, serviceInstanceId: Environment.MachineName))
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(FarmTracing.SourceName, MassTransitSource)
                    .AddAspNetCoreInstrumentation(aspNet =>
                        // Scrapes and probes every few seconds are no one's request worth a trace.
                        aspNet.Filter = http => http.Request.Path is not { Value: "/metrics" or "/alive" or "/health" or "/health/ready" or "/health/live" })
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddProcessor(new UnparentedCommandFilter());

                if (settings.OtlpEndpoint is not null)
                {
                    tracing.AddOtlpExporter();
                }
            });

        if (settings.OtlpEndpoint is { } endpoint)
        {
            // The same instruments prometheus-net serves on /metrics, pushed to the collector as well.
            openTelemetry.WithMetrics(metrics => metrics
                .AddMeter(FarmMetrics.MeterName)
                .AddOtlpExporter(MetricsExporterName, otlp => ConfigureOtlp(otlp, settings, endpoint, "v1/metrics")));

            // Through the options system, so it wins over the OTEL_EXPORTER_OTLP_* variables the exporter also reads.
            services.Configure<OtlpExporterOptions>(otlp => ConfigureOtlp(otlp, settings, endpoint, "v1/traces"));
        }

        return services;
    }

    private static void ConfigureOtlp(OtlpExporterOptions otlp, TelemetryOptions settings, Uri endpoint, string signalPath)
    {
        otlp.Protocol = settings.OtlpProtocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;

        // An endpoint set in code is used as it is: over HTTP the collector's base address needs the signal's path,
        // which the exporter appends only to the OTEL_EXPORTER_OTLP_ENDPOINT variable.
        otlp.Endpoint = otlp.Protocol == OtlpExportProtocol.HttpProtobuf && endpoint.AbsolutePath == "/"
            ? new Uri(endpoint, signalPath)
            : endpoint;
    }
}

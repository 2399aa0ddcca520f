using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Infrastructure.Telemetry;

/// <summary>
/// Section <c>Telemetry</c>: where traces and metrics go over OTLP (metrics are scraped from <c>/metrics</c> either way),
/// and how often the coordinator counts jobs for its <c>jobs</c> gauge.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>An OTLP collector (<c>http://otel-collector:4317</c> for gRPC, or <c>…:4318</c> with <see cref="OtlpProtocol"/> <c>http/protobuf</c>); unset exports nothing over OTLP.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    [RegularExpression("^(grpc|http/protobuf)$", ErrorMessage = "Telemetry:OtlpProtocol must be 'grpc' or 'http/protobuf'.")]
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>The service name traces carry; each host sets its own default (<c>renderfarm-coordinator</c>, <c>renderfarm-worker</c>).</summary>
    [MaxLength(128)]
    public string? ServiceName { get; set; }

    /// <summary>How often a coordinator counts the jobs table by status for the <c>jobs</c> gauge.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "Telemetry:JobCountInterval must be between 100 ms and 1 hour.")]
    public TimeSpan JobCountInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a coordinator counts the images waiting or on workers per model for <c>backlog.images</c>, which autoscaling reads.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "Telemetry:BacklogInterval must be between 100 ms and 1 hour.")]
    public TimeSpan BacklogInterval { get; set; } = TimeSpan.FromSeconds(2);
}

using System.Text.RegularExpressions;

namespace RenderFarm.IntegrationTests.Monitoring;

/// <summary>
/// docker-compose.yml against deploy/otel-collector/config.yaml: no Docker engine runs here, so what would only show
/// as spans silently going nowhere is checked on the files.
/// </summary>
public sealed partial class OtelCollectorComposeTests
{
    [Fact]
    public void The_farm_sends_OTLP_to_the_collector_service_on_the_port_its_receiver_listens_on()
    {
        var compose = File.ReadAllText(RepositoryFiles.PathOf("docker-compose.yml"));
        var config = File.ReadAllText(RepositoryFiles.PathOf("deploy", "otel-collector", "config.yaml"));

        var endpoints = OtlpEndpoint().Matches(compose).Select(m => (Host: m.Groups["host"].Value, Port: m.Groups["port"].Value)).ToList();
        Assert.Equal(2, endpoints.Count); // the coordinator and the worker
        var grpc = GrpcReceiverPort().Match(config);
        Assert.True(grpc.Success, "the collector has no OTLP gRPC receiver");
        Assert.All(endpoints, e =>
        {
            Assert.Contains($"\n  {e.Host}:\n", compose, StringComparison.Ordinal);
            Assert.Equal(grpc.Groups["port"].Value, e.Port);
        });

        var mounted = ConfigMount().Match(compose);
        Assert.True(mounted.Success, "compose does not mount deploy/otel-collector/config.yaml");
        Assert.Contains($"--config={mounted.Groups["path"].Value}", compose, StringComparison.Ordinal);
        Assert.Matches(@"traces:\s+receivers: \[otlp\]", config);
        Assert.Matches(@"metrics:\s+receivers: \[otlp\]", config);
    }

    [GeneratedRegex(@"Telemetry__OtlpEndpoint: http://(?<host>[a-z0-9-]+):(?<port>\d+)")]
    private static partial Regex OtlpEndpoint();

    [GeneratedRegex(@"grpc:\s+endpoint: 0\.0\.0\.0:(?<port>\d+)")]
    private static partial Regex GrpcReceiverPort();

    [GeneratedRegex(@"\./deploy/otel-collector/config\.yaml:(?<path>\S+):ro")]
    private static partial Regex ConfigMount();
}

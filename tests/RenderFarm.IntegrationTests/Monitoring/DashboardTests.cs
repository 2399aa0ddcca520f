using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using RenderFarm.Core.Jobs;
using RenderFarm.Inference;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests.Monitoring;

/// <summary>
/// deploy/grafana/dashboards/renderfarm.json and deploy/prometheus/alerts.yml against what a real coordinator and
/// worker export: a query over a metric name nobody exports draws an empty panel (or an alert that never fires)
/// without any error, so the names are checked against real scrapes.
/// </summary>
public sealed partial class DashboardTests
{
    private static readonly string Dashboard = RepositoryFiles.PathOf("deploy", "grafana", "dashboards", "renderfarm.json");

    [Fact]
    public async Task Every_dashboard_query_is_valid_PromQL()
    {
        var expressions = DashboardExpressions();

        // promtool parses rule expressions: each query becomes a recording rule, with Grafana's variables filled in.
        var rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (var i = 0; i < expressions.Count; i++)
        {
            rules.Append(CultureInfo.InvariantCulture, $"      - record: dashboard:query_{i}\n        expr: {JsonSerializer.Serialize(Substitute(expressions[i]))}\n");
        }

        var file = Path.Combine(Path.GetTempPath(), $"renderfarm-dashboard-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(file, rules.ToString());
        try
        {
            var (exitCode, output) = await PrometheusTools.PromtoolAsync("check", "rules", file);
            Assert.True(exitCode == 0, output);
            Assert.Contains($"{expressions.Count} rules found", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_dashboard_is_provisioned_in_compose_from_the_folder_it_lives_in()
    {
        var compose = File.ReadAllText(RepositoryFiles.PathOf("docker-compose.yml"));
        var provider = File.ReadAllText(RepositoryFiles.PathOf("deploy", "grafana", "provisioning", "dashboards", "renderfarm.yml"));
        var path = ProviderPath().Match(provider).Groups[1].Value;

        Assert.Contains($"./deploy/grafana/dashboards:{path}:ro", compose, StringComparison.Ordinal);
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Dashboard));
        Assert.Equal("renderfarm", dashboard.RootElement.GetProperty("uid").GetString());
        Assert.All(
            dashboard.RootElement.GetProperty("panels").EnumerateArray(),
            p => Assert.Equal("prometheus", p.GetProperty("datasource").GetProperty("uid").GetString()));
    }

    [Fact]
    public async Task Every_metric_the_dashboard_and_the_alerts_name_is_exported_by_a_real_coordinator_or_worker()
    {
        var model = TestFarm.NewModelName();
        var port = FreePort();
        var onnxPort = FreePort();
        // A real ONNX engine beside the test pattern one: only a real engine loads models (model load time).
        using var onnx = new OnnxImageGenerator(Options.Create(new InferenceOptions
        {
            Models = [new InferenceModelOptions { Name = TestFarm.NewModelName(), Path = RepositoryFiles.PathOf("tests", "fixtures", "models", "tiny-sd") }],
            IntraOpThreads = 1,
            AllowSpinning = false,
        }));
        await using var farm = await TestFarm.StartAsync(
            model, coordinators: 1, [new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(100))],
            new Dictionary<string, string?> { ["Worker:MetricsPort"] = port.ToString(CultureInfo.InvariantCulture) });
        await farm.StartWorkerAsync("onnx", onnx, new Dictionary<string, string?> { ["Worker:MetricsPort"] = onnxPort.ToString(CultureInfo.InvariantCulture) });
        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["a dashboard of shapes"], Count = 40 });

        // The backlog gauge holds models with active jobs only, so it is read while the job runs; the rest after.
        await farm.WaitForJobAsync(accepted.Id, j => j.Completed >= 4, TimeSpan.FromMinutes(1));
        var during = await farm.Api.GetStringAsync("/metrics");
        await farm.WaitForJobAsync(accepted.Id, j => j.Status == "completed", TimeSpan.FromMinutes(1));
        using var worker = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var onnxWorker = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{onnxPort}") };
        var exported = SampleNames(during)
            .Union(SampleNames(await farm.Api.GetStringAsync("/metrics")))
            .Union(SampleNames(await worker.GetStringAsync("/metrics")))
            .Union(SampleNames(await onnxWorker.GetStringAsync("/metrics")))
            .ToHashSet(StringComparer.Ordinal);

        var named = DashboardExpressions()
            .Concat(File.ReadAllLines(RepositoryFiles.PathOf("deploy", "prometheus", "alerts.yml")).Where(l => !l.TrimStart().StartsWith('#')))
            .SelectMany(e => MetricName().Matches(e).Select(m => m.Value))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.True(named.Count >= 8, $"only {named.Count} metric names found in the dashboard and alerts");
        var missing = named.Where(n => !exported.Contains(n)).ToList();
        Assert.True(missing.Count == 0, $"not exported: {string.Join(", ", missing)}; exported: {string.Join(", ", exported.Where(e => e.StartsWith("renderfarm_", StringComparison.Ordinal)).Order(StringComparer.Ordinal))}");
    }

    /// <summary>Every query of every panel and of the template variables.</summary>
    private static List<string> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Dashboard));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
        Assert.NotEmpty(panels);
        var variables = dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Select(v => v.GetProperty("definition").GetString()!);
        return [.. panels, .. variables.Select(v => LabelValues().Match(v) is { Success: true } m ? m.Groups[1].Value : v)];
    }

    /// <summary>Grafana's variables as Grafana would fill them in.</summary>
    private static string Substitute(string expression) =>
        expression.Replace("$__rate_interval", "1m", StringComparison.Ordinal)
            .Replace("$__range", "6h", StringComparison.Ordinal)
            .Replace("$model", ".*", StringComparison.Ordinal);

    /// <summary>Names of the samples in a Prometheus text exposition (histograms as their _bucket, _sum and _count).</summary>
    private static IEnumerable<string> SampleNames(string exposition) =>
        exposition.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line[..line.IndexOfAny(['{', ' '])]);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"\brenderfarm_[a-z0-9_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^label_values\((.+),\s*\w+\)$")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"path:\s*(\S+)")]
    private static partial Regex ProviderPath();
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using RenderFarm.Core.Jobs;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests.Monitoring;

/// <summary>Debian's Prometheus scraping a real coordinator, with the farm's alert rules loaded, answering PromQL.</summary>
public sealed class PrometheusScrapeTests
{
    [Fact]
    public async Task Prometheus_scrapes_the_backlog_and_the_alert_for_a_model_without_workers_goes_pending()
    {
        // No worker: the job's images stay pending, so the backlog holds still while Prometheus catches up.
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, []);
        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["a scraped lighthouse", "a scraped harbour"], Count = 7 });

        var folder = Directory.CreateTempSubdirectory("renderfarm-prometheus-").FullName;
        var port = FreePort();
        var coordinator = farm.Api.BaseAddress!;
        await File.WriteAllTextAsync(Path.Combine(folder, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {RepositoryFiles.PathOf("deploy", "prometheus", "alerts.yml")}
            scrape_configs:
              - job_name: renderfarm-coordinator
                metrics_path: /metrics
                static_configs:
                  - targets: ["{coordinator.Host}:{coordinator.Port}"]
            """);
        var start = new ProcessStartInfo(PrometheusTools.Find("prometheus")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            $"--config.file={Path.Combine(folder, "prometheus.yml")}",
            $"--storage.tsdb.path={Path.Combine(folder, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var prometheus = Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        prometheus.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        prometheus.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var backlog = await QueryUntilAsync(api, $"sum(renderfarm_backlog_images{{model=\"{model}\",state=\"pending\"}})", prometheus, log);
            var alert = await QueryUntilAsync(api, $"ALERTS{{alertname=\"RenderFarmBacklogWithoutWorkers\",model=\"{model}\"}}", prometheus, log);
            var up = await QueryUntilAsync(api, "up{job=\"renderfarm-coordinator\"}", prometheus, log);

            Assert.Equal(accepted.ImageCount, Value(backlog));
            Assert.Equal(14, accepted.ImageCount);
            Assert.Equal("pending", alert.GetProperty("metric").GetProperty("alertstate").GetString());
            Assert.Equal(1, Value(up));
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The first series of an instant query, once Prometheus has one (it scrapes and evaluates every second).</summary>
    private static async Task<JsonElement> QueryUntilAsync(HttpClient api, string query, Process prometheus, System.Text.StringBuilder log)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (prometheus.HasExited)
            {
                lock (log)
                {
                    Assert.Fail($"prometheus exited ({prometheus.ExitCode}): {log}");
                }
            }

            try
            {
                using var answer = JsonDocument.Parse(await api.GetStringAsync(new Uri($"/api/v1/query?query={Uri.EscapeDataString(query)}", UriKind.Relative), deadline.Token));
                var result = answer.RootElement.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() > 0)
                {
                    return result[0].Clone();
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (deadline.IsCancellationRequested)
            {
                lock (log)
                {
                    Assert.Fail($"no answer to {query} within a minute: {log}");
                }
            }

            await Task.Delay(250, CancellationToken.None);
        }
    }

    private static double Value(JsonElement series) =>
        double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using RenderFarm.Core.Jobs;
using RenderFarm.Inference;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;
using RenderFarm.IntegrationTests.Monitoring;

namespace RenderFarm.IntegrationTests;

/// <summary>The Prometheus endpoints of a real coordinator and worker, scraped while a job runs.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task The_backlog_gauge_and_the_image_counters_move_as_a_job_runs()
    {
        var model = TestFarm.NewModelName();
        var port = FreePort();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(100));
        await using var farm = await TestFarm.StartAsync(
            model, coordinators: 1, [engine],
            new Dictionary<string, string?> { ["Worker:MetricsPort"] = port.ToString(CultureInfo.InvariantCulture), ["Telemetry:BacklogInterval"] = "00:00:00.200" });
        using var worker = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var recordedBefore = Value(await farm.Api.GetStringAsync("/metrics"), "renderfarm_images_recorded", "outcome=\"rendered\"") ?? 0;

        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["a counted river"], Count = 40 });
        await farm.WaitForJobAsync(accepted.Id, j => j.Completed >= 4, TimeSpan.FromMinutes(1));
        var during = await farm.Api.GetStringAsync("/metrics");
        Assert.True(Value(during, "renderfarm_backlog_images", $"model=\"{model}\"", "state=\"pending\"") > 0, "no pending backlog while the job runs");
        Assert.Equal(1, Value(during, "renderfarm_workers_live", $"model=\"{model}\""));

        await farm.WaitForJobAsync(accepted.Id, j => j.Status == "completed", TimeSpan.FromMinutes(1));
        var after = await farm.Api.GetStringAsync("/metrics");
        var scraped = await worker.GetStringAsync("/metrics");

        Assert.Equal(40, Value(scraped, "renderfarm_worker_images", $"model=\"{model}\"", "outcome=\"rendered\""));
        Assert.True(Value(scraped, "renderfarm_engine_seconds_per_image", $"model=\"{model}\"") > 0, "no engine time histogram");
        Assert.True(Value(after, "renderfarm_images_recorded", "outcome=\"rendered\"") >= recordedBefore + 40, "recorded counter did not move by the job's 40 images");
        Assert.True(Value(after, "renderfarm_images_dispatched", $"model=\"{model}\"") >= 40, "dispatched counter did not move");

        // Drained, the model reads 0 (a dashboard's line drops to zero instead of ending).
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Value(await farm.Api.GetStringAsync("/metrics", deadline.Token), "renderfarm_backlog_images", $"model=\"{model}\"", "state=\"pending\"") != 0)
        {
            await Task.Delay(200, deadline.Token);
        }
    }

    /// <summary>prometheus-net starts listening to meters at its first collection; the hosts start it themselves.</summary>
    [Fact]
    public async Task Images_rendered_before_the_first_scrape_are_counted()
    {
        var model = TestFarm.NewModelName();
        var port = FreePort();
        await using var farm = await TestFarm.StartAsync(
            model, coordinators: 1, [new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(10))],
            new Dictionary<string, string?> { ["Worker:MetricsPort"] = port.ToString(CultureInfo.InvariantCulture) });
        using var worker = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["an uncounted river"], Count = 6 });
        await farm.WaitForJobAsync(accepted.Id, j => j.Status == "completed", TimeSpan.FromMinutes(1));
        var scraped = await worker.GetStringAsync("/metrics");
        var coordinator = await farm.Api.GetStringAsync("/metrics");

        Assert.Equal(6, Value(scraped, "renderfarm_worker_images", $"model=\"{model}\"", "outcome=\"rendered\""));
        Assert.Equal(6, Value(coordinator, "renderfarm_images_dispatched", $"model=\"{model}\""));
    }

    /// <summary>
    /// A real ONNX engine on a tiny model, so the worker loads it (model load time) and its engine is busy for real;
    /// the coordinator measures each image's waits and counts the job among the database's jobs.
    /// </summary>
    [Fact]
    public async Task Latencies_model_load_time_job_counts_and_engine_busy_are_measured_for_a_real_job()
    {
        var model = TestFarm.NewModelName();
        var port = FreePort();
        using var engine = new OnnxImageGenerator(Options.Create(new InferenceOptions
        {
            Models = [new InferenceModelOptions { Name = model, Path = RepositoryFiles.PathOf("tests", "fixtures", "models", "tiny-sd") }],
            IntraOpThreads = 1,
            AllowSpinning = false,
        }));
        await using var farm = await TestFarm.StartAsync(
            model, coordinators: 1, [engine],
            new Dictionary<string, string?> { ["Worker:MetricsPort"] = port.ToString(CultureInfo.InvariantCulture), ["Telemetry:JobCountInterval"] = "00:00:00.200" });
        using var worker = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        // A fresh database: every status reads 0 rather than being absent.
        Assert.Equal(0, await EventuallyAsync(farm.Api, "renderfarm_jobs", v => v == 0, "status=\"completed\""));

        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["a measured cat"], Count = 8 });
        await farm.WaitForJobAsync(accepted.Id, j => j.Status == "completed", TimeSpan.FromMinutes(1));
        var coordinator = await farm.Api.GetStringAsync("/metrics");
        var scraped = await worker.GetStringAsync("/metrics");

        // Preloaded once at start, before the worker took work.
        Assert.Equal(1, Value(scraped, "renderfarm_model_load_seconds_count", $"model=\"{model}\"", "device=\"cpu\""));
        Assert.True(Value(scraped, "renderfarm_model_load_seconds_sum", $"model=\"{model}\"") > 0, "no model load time");
        Assert.InRange(Value(scraped, "renderfarm_worker_engine_busy", "worker=\"worker-0\"") ?? -1, 1e-6, 1);

        Assert.Equal(8, Value(coordinator, "renderfarm_queue_to_finish_seconds_count", $"model=\"{model}\"", "outcome=\"rendered\""));
        Assert.Equal(8, Value(coordinator, "renderfarm_dispatch_seconds_count", $"model=\"{model}\""));
        var queueToFinish = Value(coordinator, "renderfarm_queue_to_finish_seconds_sum", $"model=\"{model}\"", "outcome=\"rendered\"");
        var dispatch = Value(coordinator, "renderfarm_dispatch_seconds_sum", $"model=\"{model}\"");
        Assert.True(queueToFinish > dispatch && dispatch >= 0, $"an image finished before it was dispatched: {queueToFinish} s against {dispatch} s");

        Assert.Equal(1, await EventuallyAsync(farm.Api, "renderfarm_jobs", v => v == 1, "status=\"completed\""));
        Assert.Equal(0, Value(await farm.Api.GetStringAsync("/metrics"), "renderfarm_jobs", "status=\"running\""));
    }

    /// <summary>Scrapes until a sample satisfies <paramref name="until"/> (or 30 s pass) and returns its last value.</summary>
    private static async Task<double?> EventuallyAsync(HttpClient client, string name, Func<double?, bool> until, params string[] labels)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        double? value;
        while (!until(value = Value(await client.GetStringAsync("/metrics"), name, labels)) && !deadline.IsCancellationRequested)
        {
            await Task.Delay(100);
        }

        return value;
    }

    /// <summary>The value of the first sample of a metric whose name starts with <paramref name="name"/> and has all the labels; null when none.</summary>
    private static double? Value(string exposition, string name, params string[] labels) =>
        exposition.Split('\n')
            .Where(line => line.StartsWith(name, StringComparison.Ordinal) && labels.All(l => line.Contains(l, StringComparison.Ordinal)))
            .Where(line => !line.Contains("_bucket", StringComparison.Ordinal))
            .Select(line => (double?)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
            .FirstOrDefault();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

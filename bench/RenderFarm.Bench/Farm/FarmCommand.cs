using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace RenderFarm.Bench.Farm;

/// <summary>
/// <c>farm [options]</c>: the farm benchmark. Runs the real coordinator and worker processes on the servers
/// scripts/test-servers.sh starts, drives them through the HTTP API only, and reports medians; see bench/README.md.
/// </summary>
public static class FarmCommand
{
    private static readonly string[] Scenarios = ["throughput", "scaleout", "smalljob", "embedded"];

    private static readonly string[] Known =
    [
        "scenario", "hosts", "repeat", "jobs", "images", "warmup", "warmup-seconds", "size", "set", "markdown", "keep-servers", "keep-logs",
        "throughput-engine", "throughput-workers", "scaleout-engine", "scaleout-workers",
        "smalljob-engine", "smalljob-workers", "big-images", "small-images", "embedded-count", "bare-batches", "cli",
    ];

    public static async Task<int> RunAsync(string root, string[] args)
    {
        CommandLineOptions options;
        try
        {
            options = CommandLineOptions.Parse(args, "keep-servers", "keep-logs");
            options.RejectUnknown(Known);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"farm: {e.Message}");
            return 2;
        }

        using var stop = new StopSignal("bench: stopping…");
        try
        {
            var loadBefore = LoadAverage();
            var tables = await RunScenariosAsync(root, options, stop.Token);
            if (options.Optional("markdown") is { } markdown)
            {
                await File.WriteAllTextAsync(markdown, Markdown(root, args, tables, $"load average {loadBefore} at the start, {LoadAverage()} at the end"));
                Console.Error.WriteLine($"bench: wrote {Path.GetFullPath(markdown)}");
            }

            return 0;
        }
        catch (OperationCanceledException) when (stop.IsStopping)
        {
            Console.Error.WriteLine("bench: cancelled");
            return 130;
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"farm: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or FileNotFoundException)
        {
            // The farm's own logs (kept, path printed above) say more than a stack trace of the bench would.
            Console.Error.WriteLine($"farm: {e.Message}");
            return 1;
        }
    }

    private static async Task<List<ReportTable>> RunScenariosAsync(string root, CommandLineOptions options, CancellationToken cancellationToken)
    {
        var scenarios = options.List("scenario", "all").SelectMany(s => s == "all" ? Scenarios : [s]).Distinct().ToList();
        if (scenarios.Except(Scenarios).FirstOrDefault() is { } unknown)
        {
            throw new FormatException($"--scenario: unknown '{unknown}' (throughput, scaleout, smalljob, embedded or all).");
        }

        var repeat = options.Number("repeat", 3);
        var jobs = options.Number("jobs", 4);
        var images = options.Number("images", 250);
        var warmUp = options.Number("warmup", 40, minimum: 0);
        var warmUpTime = TimeSpan.FromSeconds(options.Number("warmup-seconds", 0, minimum: 0));
        var size = options.Number("size", 64);
        var overrides = Overrides(options.All("set"));
        var keepLogs = options.Has("keep-logs");
        var published = options.Get("hosts", "published") switch
        {
            "published" => true,
            "build" => false,
            var other => throw new FormatException($"--hosts is published or build (got '{other}')."),
        };

        var tables = new List<ReportTable>();
        void Report(IEnumerable<ReportTable> done)
        {
            foreach (var table in done)
            {
                tables.Add(table);
                Console.WriteLine(table.ToText());
            }
        }

        if (scenarios.Any(s => s != "embedded"))
        {
            var hosts = published ? await FarmHosts.PublishAsync(root, cancellationToken) : FarmHosts.Built(root);
            FarmSpec Spec(EngineSpec engine, int workers) => new(engine, workers, size, overrides, keepLogs, hosts);
            await using var servers = await BenchServers.StartAsync(root, options.Has("keep-servers"), cancellationToken);
            foreach (var (scenario, title, engineDefault, workersDefault) in new[]
            {
                ("throughput", "Control plane", "zero", "1,2"),
                ("scaleout", "Scale-out", "per-image:50", "1,2,4,8"),
            })
            {
                if (!scenarios.Contains(scenario))
                {
                    continue;
                }

                var configurations = options.List($"{scenario}-engine", engineDefault).Select(EngineSpec.Parse)
                    .SelectMany(engine => options.Numbers($"{scenario}-workers", workersDefault).Select(workers => Spec(engine, workers)))
                    .ToList();
                var samples = new List<ThroughputSample>();

                // Repeats go round the configurations, so a noisy minute on the shared machine hits all of them alike.
                for (var r = 1; r <= repeat; r++)
                {
                    foreach (var spec in configurations)
                    {
                        var sample = await ThroughputScenario.RunAsync(servers, spec, jobs, images, warmUp, warmUpTime, cancellationToken);
                        samples.Add(sample);
                        Progress(scenario, spec, r, repeat, $"{sample.ImagesPerSecond:F1} images/s, farm CPU {sample.MillisecondsPerImage(c => c.Farm):F2} ms/image");
                    }
                }

                Report(FarmReports.Throughput(title, samples));
            }

            if (scenarios.Contains("smalljob"))
            {
                var spec = Spec(EngineSpec.Parse(options.Get("smalljob-engine", "per-image:50")), options.Number("smalljob-workers", 2));
                var samples = new List<SmallJobSample>();
                for (var r = 1; r <= repeat; r++)
                {
                    var sample = await SmallJobScenario.RunAsync(servers, spec, options.Number("big-images", 2000), options.Number("small-images", 4), cancellationToken);
                    samples.Add(sample);
                    Progress("smalljob", spec, r, repeat, $"small job finished after {sample.LatencyMilliseconds:F0} ms = {sample.LatencyBatches:F1} batch times, {sample.FinaliseMilliseconds:F0} ms after its last image");
                }

                Report([FarmReports.SmallJob(samples)]);
            }
        }

        if (scenarios.Contains("embedded"))
        {
            var samples = new List<EmbeddedSample>();
            var installed = options.Optional("cli") is null ? Directory.CreateTempSubdirectory("renderfarm-bench-cli-") : null;
            try
            {
                var cli = options.Optional("cli") ?? await InstallCliAsync(root, installed!, cancellationToken);
                for (var r = 1; r <= repeat; r++)
                {
                    var sample = await EmbeddedScenario.RunAsync(root, options.Number("embedded-count", 200), options.Number("bare-batches", 50), cli, cancellationToken);
                    samples.Add(sample);
                    Console.Error.WriteLine($"[embedded] run {r}/{repeat}: {sample.JobImagesPerSecond:F1} images/s (own process {sample.FreshJobImagesPerSecond:F1}) vs bare {sample.BareImagesPerSecond:F1} images/s");
                }
            }
            finally
            {
                installed?.Delete(recursive: true);
            }

            Report([FarmReports.Embedded(samples)]);
        }

        return tables;
    }

    /// <summary>Installs the command as a user does (scripts/install-cli.sh), into <paramref name="prefix"/>.</summary>
    /// <returns>The installed executable.</returns>
    private static async Task<string> InstallCliAsync(string root, DirectoryInfo prefix, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine("bench: installing renderfarm with scripts/install-cli.sh (a self-contained composite ReadyToRun publish, about three minutes)");
        await RepositoryScript.RunAsync(root, "install-cli.sh", cancellationToken, prefix.FullName);
        return Path.Combine(prefix.FullName, "bin", "renderfarm");
    }

    private static void Progress(string scenario, FarmSpec spec, int run, int runs, string result) =>
        Console.Error.WriteLine($"[{scenario}] {spec.Engine} × {spec.Workers} worker(s), run {run}/{runs}: {result}");

    /// <summary><c>--set Section__Key=value</c> (or <c>Section:Key</c>), passed to every farm process as an environment variable.</summary>
    private static Dictionary<string, string> Overrides(IEnumerable<string> settings)
    {
        var overrides = new Dictionary<string, string>();
        foreach (var setting in settings)
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"--set '{setting}': expected Section__Key=value.");
            }

            overrides[setting[..equals].Replace(":", "__", StringComparison.Ordinal)] = setting[(equals + 1)..];
        }

        return overrides;
    }

    /// <summary>The 1-minute load average: how much else wanted the cores while the figures were taken.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static string Markdown(string root, string[] args, IEnumerable<ReportTable> tables, string load)
    {
        var text = new StringBuilder()
            .AppendLine("## Farm benchmark")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/RenderFarm.Bench -- farm {string.Join(' ', args)}`")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, commit {Commit(root)}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {load}.")
            .AppendLine();
        foreach (var table in tables)
        {
            text.Append(table.ToMarkdown());
        }

        return text.ToString();
    }

    private static string Commit(string root)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git") { ArgumentList = { "-C", root, "describe", "--always", "--dirty" }, RedirectStandardOutput = true })!;
            var commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? commit : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown (no git)";
        }
    }
}

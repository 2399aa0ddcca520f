using System.Globalization;
using RenderFarm.Bench.Farm;

namespace RenderFarm.Bench.Faults;

/// <summary>
/// <c>faults [--only NAME,…] [--images N] [--engine SPEC] [--outage SECONDS] [--markdown FILE] [--keep-logs]</c>: the
/// fault-injection suite. For each fault of <see cref="FaultCatalog"/> a fresh farm (the real coordinator and two
/// worker processes on the servers scripts/test-servers.sh runs) renders a job while the fault hits it. Prints the
/// recovery times and exits 1 unless every job ended completed with each image rendered exactly once and the farm
/// served a new job within <see cref="FaultRun.RecoveryLimit"/> of every fault's end.
/// </summary>
public static class FaultsCommand
{
    private static readonly string[] Known = ["only", "images", "engine", "outage", "markdown", "keep-logs", "keep-servers"];

    public static async Task<int> RunAsync(string root, string[] args)
    {
        List<Fault> faults;
        int images;
        TimeSpan outage;
        FarmSpec spec;
        string? markdown;
        bool keepServers;
        try
        {
            var options = CommandLineOptions.Parse(args, "keep-logs", "keep-servers");
            options.RejectUnknown(Known);
            var names = options.List("only", string.Join(',', FaultCatalog.All.Select(f => f.Name)));
            if (names.FirstOrDefault(n => FaultCatalog.All.All(f => f.Name != n)) is { } unknown)
            {
                throw new FormatException($"--only: unknown fault '{unknown}' ({string.Join(", ", FaultCatalog.All.Select(f => f.Name))}).");
            }

            faults = [.. FaultCatalog.All.Where(f => names.Contains(f.Name))];
            images = options.Number("images", 120);
            outage = TimeSpan.FromSeconds(options.Number("outage", 10));
            spec = new FarmSpec(EngineSpec.Parse(options.Get("engine", "per-image:100")), 2, 64, new Dictionary<string, string>(), options.Has("keep-logs"), FarmHosts.Built(root));
            markdown = options.Optional("markdown");
            keepServers = options.Has("keep-servers");
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"faults: {e.Message}");
            return 2;
        }

        using var stop = new StopSignal();

        var outcomes = new List<FaultOutcome>();
        try
        {
            await using var servers = await BenchServers.StartAsync(root, keepServers, stop.Token);
            foreach (var fault in faults)
            {
                Console.Error.WriteLine($"[faults] {fault.Name}: {fault.Description}, during a job of {images} images on 2 workers ({spec.Engine})");
                FaultOutcome outcome;
                try
                {
                    outcome = await FaultRun.RunAsync(servers, spec, fault, images, outage, stop.Token);
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException)
                {
                    outcome = new FaultOutcome(fault.Name, fault.Description, TimeSpan.Zero, null, null, "not run", ImageTally.None, null, [e.Message]);
                }

                outcomes.Add(outcome);
                Console.Error.WriteLine($"[faults] {fault.Name}: {(outcome.Passed ? "passed" : "FAILED: " + string.Join("; ", outcome.Problems))}");
            }
        }
        catch (OperationCanceledException) when (stop.IsStopping)
        {
            Console.Error.WriteLine("faults: cancelled");
            return 130;
        }

        var table = Table(outcomes, images, spec);
        Console.WriteLine(table.ToText());
        if (markdown is not null)
        {
            await File.WriteAllTextAsync(markdown, table.ToMarkdown());
        }

        var failed = outcomes.Count(o => !o.Passed);
        Console.WriteLine(failed == 0 ? $"faults: all {outcomes.Count} passed" : $"faults: {failed} of {outcomes.Count} FAILED");
        return failed == 0 ? 0 : 1;
    }

    private static ReportTable Table(List<FaultOutcome> outcomes, int images, FarmSpec spec)
    {
        static string Seconds(TimeSpan? time) => time is { } t ? t.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) : "–";
        return new ReportTable(
            "Fault injection",
            ["fault", "outage s", "new job served after s", "job finished after s", "job", "rendered", "objects", "engine images", "max attempts", "result"],
            [.. outcomes.Select(o => (IReadOnlyList<string>)
            [
                o.Description, Seconds(o.Outage), Seconds(o.Recovery), Seconds(o.JobFinishedAfter), o.Status,
                $"{o.Images.Rendered}/{images}", o.Images.Objects.ToString(CultureInfo.InvariantCulture),
                o.EngineImages?.ToString(CultureInfo.InvariantCulture) ?? "–",
                o.Images.MaxAttempts.ToString(CultureInfo.InvariantCulture), o.Passed ? "passed" : "FAILED",
            ])],
            [
                $"Each fault on a fresh farm: one coordinator and two worker processes ({spec.Engine} engine), real PostgreSQL, RabbitMQ and s3rver; a job of {images} images, the fault injected once a quarter had rendered.",
                $"Times count from the end of the fault (the server back, the process restarted); a new job must be served within {FaultRun.RecoveryLimit.TotalSeconds:F0} s.",
                $"Engine images: what went through the workers' engines for the job and the {FaultRun.ProbeImages}-image probe ({images + FaultRun.ProbeImages} when nothing is rendered twice; a killed worker's last report may lag).",
                .. outcomes.Where(o => !o.Passed).Select(o => $"{o.Fault}: {string.Join("; ", o.Problems)}"),
            ]);
    }
}

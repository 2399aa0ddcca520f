using System.Globalization;

namespace RenderFarm.Bench.Farm;

/// <summary>Turns each scenario's runs into tables of medians.</summary>
public static class FarmReports
{
    private const string None = "—";

    public static IReadOnlyList<ReportTable> Throughput(string title, IReadOnlyList<ThroughputSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var groups = samples.GroupBy(s => (s.Engine, s.Workers)).ToList();
        var runs = groups.Max(g => g.Count());
        var main = new ReportTable(
            $"{title}: throughput and CPU (median of {runs} runs)",
            ["engine", "workers", "images", "images/s", "efficiency", "engine busy", "engine ÷ nominal", "mean batch", "coordinator ms", "workers ms", "PostgreSQL ms", "RabbitMQ ms", "farm ms", "S3 server ms"],
            [.. groups.Select(g => (IReadOnlyList<string>)
            [
                g.Key.Engine.ToString(),
                Int(g.Key.Workers),
                Int(g.First().Images),
                Number(Median(g, s => s.ImagesPerSecond), 1),
                Percent(Stats.Median(g.Select(s => s.Efficiency))),
                Percent(Stats.Median(g.Select(s => s.EngineBusy))),
                Number(Stats.Median(g.Select(s => s.EngineOverrun)), 3),
                Number(Stats.Median(g.Select(s => s.MeanBatch)), 2),
                Number(Median(g, s => s.MillisecondsPerImage(c => c.Coordinator)), 2),
                Number(Median(g, s => s.MillisecondsPerImage(c => c.Workers)), 2),
                Number(Median(g, s => s.MillisecondsPerImage(c => c.PostgreSql)), 2),
                Number(Median(g, s => s.MillisecondsPerImage(c => c.RabbitMq)), 2),
                Number(Median(g, s => s.MillisecondsPerImage(c => c.Farm)), 2),
                Number(Median(g, s => s.MillisecondsPerImage(c => c.S3)), 2),
            ])],
            [
                "images/s: images ÷ (first job created → last job finished), database timestamps.",
                "efficiency: images/s ÷ (workers × images/s one engine does alone at full batches); — for the zero engine.",
                "engine busy: time with an engine call in progress ÷ (workers × run time). mean batch: images per engine call.",
                "engine ÷ nominal: time inside the engine calls ÷ what they take on paper (a timer woken late on a loaded machine);",
                "  efficiency cannot exceed engine busy ÷ it, whatever the farm does; — for the zero engine.",
                "… ms: CPU ms per image (user + system, /proc) of each process tree; workers ms summed over all worker processes.",
                "farm ms: coordinator + workers + PostgreSQL + RabbitMQ; the S3 server is apart (one put per image by nature).",
            ]);

        var latency = new ReportTable(
            $"{title}: latency per stage, ms p50 / p95 / p99 (median of {runs} runs)",
            ["engine", "workers", "job created → image dispatched", "dispatched → image finished", "last image → job finished", "job created → job finished"],
            [.. groups.Select(g =>
            {
                var latencies = g.Select(s => s.Latencies).OfType<StageLatencies>().ToList();
                var median = latencies.Count > 0 ? StageLatencies.Median(latencies) : null;
                return (IReadOnlyList<string>)
                [
                    g.Key.Engine.ToString(),
                    Int(g.Key.Workers),
                    Triple(median?.Queued),
                    Triple(median?.InFlight),
                    Triple(median?.Finalise),
                    Triple(median?.Job),
                ];
            })],
            ["Per image for the first two stages, per job for the last two; an image dispatched again counts from its last dispatch."]);

        var startUp = new ReportTable(
            $"{title}: a fresh farm's start, s (median of {runs} runs)",
            ["engine", "workers", "coordinator start → API answers", "workers start → registered", "warm-up job", "warm-up job images", "coordinator + workers CPU s to its end"],
            [.. groups.Select(g => (IReadOnlyList<string>)
            [
                g.Key.Engine.ToString(),
                Int(g.Key.Workers),
                Number(Median(g, s => s.StartUp.CoordinatorReady.TotalSeconds), 2),
                Number(Median(g, s => s.StartUp.WorkersReady.TotalSeconds), 2),
                Number(Stats.Median(g.Select(s => s.StartUp.WarmUpJob?.TotalSeconds)), 2),
                Int(g.First().WarmUpImages),
                Number(Median(g, s => s.StartUp.ProcessCpu.TotalSeconds), 2),
            ])],
            [
                "What a pod started under load (KEDA, a rollout) costs before the figures above: the coordinator migrates its fresh database before its API answers;",
                "  the workers start after it; the warm-up job (created → finished, as the bench polls it) is the farm's first work, left out of every other figure.",
            ]);
        return [main, latency, startUp];
    }

    public static ReportTable SmallJob(IReadOnlyList<SmallJobSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var groups = samples.GroupBy(s => (s.Engine, s.Workers)).ToList();
        return new ReportTable(
            $"Small job behind a big job (median of {groups.Max(g => g.Count())} runs)",
            ["engine", "workers", "big job", "small job", "batch time ms", "big done at submit", "small: first dispatch", "small: finished", "small: finished ms", "small: last image → finished ms"],
            [.. groups.Select(g => (IReadOnlyList<string>)
            [
                g.Key.Engine.ToString(),
                Int(g.Key.Workers),
                Int(g.First().BigImages),
                Int(g.First().SmallImages),
                Number(g.First().BatchMilliseconds, 0),
                Number(Median(g, s => s.BigImagesDone), 0),
                Batches(Stats.Median(g.Select(s => s.FirstDispatchBatches))),
                Batches(Median(g, s => s.LatencyBatches)),
                Number(Median(g, s => s.LatencyMilliseconds), 0),
                Number(Median(g, s => s.FinaliseMilliseconds), 0),
            ])],
            [
                "The small job is submitted once the big one is rendering; its times run from its creation, in batch times (one full batch's engine time).",
                "Ideal: dispatched at once and finished after one batch time (its images in one batch on a worker that has just freed up).",
            ]);
    }

    public static ReportTable Embedded(IReadOnlyList<EmbeddedSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return new ReportTable(
            $"Embedded mode vs the bare engine, models/tiny-shapes (median of {samples.Count} runs)",
            ["images", "embedded images/s (job)", "embedded images/s (command)", "own process images/s (job)", "own process images/s (command)", "bare engine images/s", "embedded ÷ bare", "own process ÷ bare", "engine busy", "mean batch"],
            [
            [
                Int(samples[0].Images),
                Number(Median(samples, s => s.JobImagesPerSecond), 1),
                Number(Median(samples, s => s.CommandImagesPerSecond), 1),
                Number(Median(samples, s => s.FreshJobImagesPerSecond), 1),
                Number(Median(samples, s => s.FreshCommandImagesPerSecond), 1),
                Number(Median(samples, s => s.BareImagesPerSecond), 1),
                Percent(Median(samples, s => s.Ratio)),
                Percent(Median(samples, s => s.FreshRatio)),
                Percent(Median(samples, s => s.EngineBusy)),
                Number(Median(samples, s => s.Usage.MeanBatchSize), 2),
            ],
            ],
            [
                "embedded (job): images ÷ (job created → job finished) of `renderfarm render --count N`, run in-process through the CLI's own command.",
                "embedded (command): images ÷ the whole command (start-up, model load, job, writing the files).",
                "own process (job): the job's images/s when the command runs as a process of its own, installed by scripts/install-cli.sh (or --cli), as a user runs it (the in-process runs after the first find the farm's code already compiled); (command): images ÷ that whole command.",
                "bare engine: the same model, size, steps and guidance in full batches of the worker's batch size, after warm-up, with and without ONNX Runtime's thread spinning, the faster of the two; the ratio is paired per run.",
                "engine busy: time with an engine call in progress (of either of its two slots) ÷ job time (the model is loaded and warmed up before the job); mean batch: images per engine call in the embedded run (the bare engine's are full).",
            ]);
    }

    private static double? Median<T>(IEnumerable<T> samples, Func<T, double> value) => Stats.Median(samples.Select(s => (double?)value(s)));

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double? value, int decimals) => value?.ToString($"F{decimals}", CultureInfo.InvariantCulture) ?? None;

    private static string Percent(double? fraction) => fraction is { } f ? (100 * f).ToString("F0", CultureInfo.InvariantCulture) + " %" : None;

    private static string Batches(double? value) => value is { } v ? v.ToString("F1", CultureInfo.InvariantCulture) + " batches" : None;

    private static string Triple(Percentiles? p) => p is null ? None : $"{Number(p.P50, 0)} / {Number(p.P95, 0)} / {Number(p.P99, 0)}";
}

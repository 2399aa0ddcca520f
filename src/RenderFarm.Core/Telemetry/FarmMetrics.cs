using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace RenderFarm.Core.Telemetry;

/// <summary>
/// The farm's instruments (System.Diagnostics.Metrics, meter <c>RenderFarm</c>), exported for Prometheus on
/// <c>/metrics</c> of the coordinator and of every worker, and to any other listener (OpenTelemetry) as they are.
/// Prometheus sees the meter's name as a prefix and dots as underscores: <c>worker.images</c> is
/// <c>renderfarm_worker_images</c>.
/// </summary>
public static class FarmMetrics
{
    public const string MeterName = "RenderFarm";

    private static readonly Meter Meter = new(MeterName);
    private static readonly ConcurrentDictionary<(string Model, string State), int> Backlog = new();
    private static readonly ConcurrentDictionary<string, int> LiveWorkers = new();
    private static readonly ConcurrentDictionary<string, int> Jobs = new();
    private static readonly ConcurrentDictionary<string, EngineBusyWindow> EngineBusy = new();
    private static readonly string[] BacklogStates = ["pending", "dispatched"];
    private static long _orphans;


    /// <remarks>
    /// The backlog gauge: pending and in-flight images per model as a coordinator last counted them in the database,
    /// what to scale workers on (queue lengths on the broker are kept short on purpose, so they are not the backlog);
    /// every model the live-worker gauge knows reads 0 rather than vanishing when nothing waits.
    /// </remarks>
    static FarmMetrics()
    {
        Meter.CreateObservableGauge(
            "backlog.images",
            () => LiveWorkers.Keys.Concat(Backlog.Keys.Select(b => b.Model)).Distinct().SelectMany(BacklogOf),
            description: "Images waiting (state=pending) or on workers (state=dispatched), per model.");
        Meter.CreateObservableGauge(
            "workers.live",
            () => LiveWorkers.Select(w => new Measurement<int>(w.Value, new KeyValuePair<string, object?>("model", w.Key))),
            description: "Workers whose heartbeat is recent, per model they serve (0 for a model with work and none).");
        Meter.CreateObservableGauge(
            "store.orphans",
            () => Interlocked.Read(ref _orphans),
            description: "Objects in the image store that no image row points to, as the last orphan scan found them (removed or not yet).");
        Meter.CreateObservableGauge(
            "jobs",
            () => Jobs.Select(j => new Measurement<int>(j.Value, new KeyValuePair<string, object?>("status", j.Key))),
            description: "Jobs in the database per status, as the coordinator last counted them.");
        Meter.CreateObservableGauge(
            "worker.engine_busy",
            () => EngineBusy.Select(w => new Measurement<double>(w.Value.Fraction(), new KeyValuePair<string, object?>("worker", w.Key))),
            description: "Share of the last minute a worker's engine slots spent rendering (1 = never idle).");
    }

    /// <summary>Images a worker finished, by <c>model</c>, <c>worker</c>, <c>device</c> and <c>outcome</c> (rendered, failed, returned).</summary>
    public static readonly Counter<long> WorkerImages = Meter.CreateCounter<long>("worker.images", description: "Images a worker finished, by outcome.");

    /// <summary>Engine time per image (its share of the batch call), by <c>model</c> and <c>worker</c>.</summary>
    public static readonly Histogram<double> EngineSecondsPerImage = Meter.CreateHistogram<double>("engine.seconds_per_image", "s", "Engine time per image: its share of the batch's engine call.");

    /// <summary>Batches of a small job let into the engine between another batch's steps, by <c>model</c> and <c>worker</c>.</summary>
    public static readonly Counter<long> EnginePreemptions = Meter.CreateCounter<long>("engine.preemptions", description: "Small jobs' batches let into the engine between another batch's steps.");

    /// <summary>Images per engine call, by <c>model</c>.</summary>
    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("batch.size", description: "Images per engine call.");

    /// <summary>Time to upload one image to the object store.</summary>
    public static readonly Histogram<double> UploadSeconds = Meter.CreateHistogram<double>("upload.seconds", "s", "Time to upload one image.");

    /// <summary>Outcomes the coordinator recorded, by <c>outcome</c> (rendered, failed).</summary>
    public static readonly Counter<long> ImagesRecorded = Meter.CreateCounter<long>("images.recorded", description: "Image outcomes recorded by the coordinator.");

    /// <summary>Images sent to workers by the dispatcher, by <c>model</c>.</summary>
    public static readonly Counter<long> ImagesDispatched = Meter.CreateCounter<long>("images.dispatched", description: "Images the dispatcher sent to workers.");

    /// <summary>
    /// Seconds from an image's submission (its job's creation) until its outcome is recorded, by <c>model</c> and
    /// <c>outcome</c> (rendered, failed): what a client waits, queueing included.
    /// </summary>
    public static readonly Histogram<double> QueueToFinishSeconds = Meter.CreateHistogram<double>("queue_to_finish.seconds", "s", "Time from an image's submission until its outcome is recorded.");

    /// <summary>Seconds from an image's submission (its job's creation) until it is first sent to workers, by <c>model</c>.</summary>
    public static readonly Histogram<double> DispatchSeconds = Meter.CreateHistogram<double>("dispatch.seconds", "s", "Time from an image's submission until it is first dispatched.");

    /// <summary>Seconds a worker took to load a model's sessions, by <c>model</c> and <c>device</c>.</summary>
    public static readonly Histogram<double> ModelLoadSeconds = Meter.CreateHistogram<double>("model.load_seconds", "s", "Time to load a model's sessions.");

    /// <summary>Objects the orphan scan removed from the image store (no image row pointed to them past the grace period).</summary>
    public static readonly Counter<long> OrphansRemoved = Meter.CreateCounter<long>("store.orphans_removed", description: "Objects no image row pointed to, removed by the orphan scan.");

    /// <summary>What the last orphan scan found, for the <c>store.orphans</c> gauge.</summary>
    public static void ReportOrphans(long found) => Interlocked.Exchange(ref _orphans, found);

    private static IEnumerable<Measurement<int>> BacklogOf(string model) =>
        BacklogStates.Select(state => new Measurement<int>(Backlog.GetValueOrDefault((model, state)), new("model", model), new("state", state)));

    /// <summary>Replaces what the backlog gauge reports with one count of the images waiting and on workers.</summary>
    public static void ReplaceBacklog(IEnumerable<(string Model, int Pending, int Dispatched)> backlog) =>
        Replace(Backlog, backlog.SelectMany(m => new[] { ((m.Model, "pending"), m.Pending), ((m.Model, "dispatched"), m.Dispatched) }).ToDictionary());

    /// <summary>Replaces what the live-worker gauge reports with one dispatch round's reading of the workers.</summary>
    public static void ReplaceLiveWorkers(IEnumerable<(string Model, int Workers)> live) => Replace(LiveWorkers, live.ToDictionary(w => w.Model, w => w.Workers));

    /// <summary>Replaces what the <c>jobs</c> gauge reports with one count of the jobs table.</summary>
    public static void ReplaceJobCounts(IReadOnlyDictionary<string, int> counts) => Replace(Jobs, counts.ToDictionary());

    internal static void ObserveEngineBusy(EngineBusyWindow window) => EngineBusy[window.Worker] = window;

    internal static void ForgetEngineBusy(EngineBusyWindow window) => EngineBusy.TryRemove(new KeyValuePair<string, EngineBusyWindow>(window.Worker, window));

    private static void Replace<TKey>(ConcurrentDictionary<TKey, int> gauge, Dictionary<TKey, int> reading)
        where TKey : notnull
    {
        foreach (var key in gauge.Keys.Where(k => !reading.ContainsKey(k)))
        {
            gauge.TryRemove(key, out _);
        }

        foreach (var (key, value) in reading)
        {
            gauge[key] = value;
        }
    }
}

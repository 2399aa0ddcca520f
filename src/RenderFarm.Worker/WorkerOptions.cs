using System.ComponentModel.DataAnnotations;
using RenderFarm.Core.Workers;

namespace RenderFarm.Worker;

/// <summary>Section <c>Worker</c>: one worker process drives one GPU.</summary>
public sealed class WorkerOptions : IValidatableObject
{
    public const string SectionName = "Worker";

    /// <summary>Stable name shown in the farm view; defaults to host name and process id.</summary>
    [MaxLength(128)]
    public string Id { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Most images rendered by one engine call; compatible messages (same model, size, steps, guidance) are grouped up to this.</summary>
    [Range(1, 64)]
    public int BatchSize { get; set; } = 4;

    /// <summary>
    /// How long a partial batch waits for more messages before it renders anyway; only where the engine renders a full
    /// batch cheaper per image (<see cref="Rendering.EngineBatchTimes"/>), as a GPU with room to spare does.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan BatchTimeLimit { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Batches in progress at once, in the engine or being encoded, uploaded and reported. Two lets one batch be
    /// uploaded while the next runs on the GPU; the engine itself runs <see cref="GpuSlots"/> batches at a time.
    /// </summary>
    [Range(1, 16)]
    public int ConcurrentBatches { get; set; } = 2;

    /// <summary>
    /// Whether a small job's batch (a job's tail, of a job this worker has not served) renders between the denoising
    /// steps of the batch in the engine instead of after it (<see cref="Rendering.EnginePreemption"/>). The paused batch
    /// keeps its latents and bound buffers meanwhile: off for a GPU without room for two batches at once.
    /// </summary>
    public bool Preemption { get; set; } = true;

    /// <summary>Batches inside the engine at once; 1 per GPU keeps its memory predictable.</summary>
    [Range(1, 16)]
    public int GpuSlots { get; set; } = 1;

    /// <summary>
    /// Messages held from the broker; 0 means the batches in progress plus two more, so the next batch is always on
    /// hand and a newly dispatched job can be taken before the images queued ahead of it.
    /// </summary>
    [Range(0, 10_000)]
    public int PrefetchCount { get; set; }

    /// <summary>Port of the worker's Prometheus endpoint (<c>/metrics</c> on all interfaces); 0 serves none.</summary>
    [Range(0, 65535)]
    public int MetricsPort { get; set; } = 8080;

    /// <summary>Least time between two step-progress messages of one batch (<see cref="Contracts.RenderProgress"/>); 0 sends none.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The operator's labels for this worker (<c>studio-a</c>, <c>h100</c>): jobs and models requiring labels go only to
    /// workers that have them all. The device class (<c>cpu</c>, <c>cuda</c>) is added on its own.
    /// </summary>
    public List<string> Labels { get; set; } = [];

    /// <summary>The device's memory in bytes, for a worker that cannot tell (or should claim less); unset asks the device.</summary>
    [Range(0, long.MaxValue)]
    public long? DeviceMemoryBytes { get; set; }

    /// <summary>How often the engine looks for model folders added or removed (Inference:ModelsRoot); zero looks only at start.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ModelScanInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Engine failures in a row, of this many different images, after which the worker quarantines itself: it takes no
    /// more work, hands back what it holds and says so in its heartbeat until an operator releases it. An image that
    /// fails again counts once (a poison prompt is the image's fault, not the worker's). 0 never quarantines.
    /// </summary>
    [Range(0, 10_000)]
    public int QuarantineAfterFailures { get; set; } = 5;

    /// <summary>
    /// How long a rendered image whose upload failed is kept for the store to come back (uploaded again each time the
    /// store seems back) before it goes back to the farm uncharged, to be rendered again: a store outage shorter than
    /// this costs time, not GPU work. The worker takes no new batch meanwhile (<see cref="Rendering.StoreOutageGate"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan KeepRenderedFor { get; set; } = TimeSpan.FromMinutes(2);

    public int EffectivePrefetchCount => PrefetchCount > 0 ? PrefetchCount : BatchSize * (ConcurrentBatches + 2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var label in Labels.Where(l => !WorkerLabels.IsValidLabel(l)))
        {
            yield return new ValidationResult($"Worker:Labels: '{label}' is not a label (lowercase letters, digits, '.', '_', ':' and '-', at most 64).", [nameof(Labels)]);
        }
    }
}

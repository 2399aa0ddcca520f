using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Coordinator.Dispatch;

/// <summary>Section <c>Dispatch</c>: how much work leaves the database for the bus at once.</summary>
public sealed class DispatchOptions
{
    public const string SectionName = "Dispatch";

    /// <summary>
    /// At most this many images of one job are on the bus at once, or its model's target (what the workers serving it
    /// should hold) where that is more, so that one job alone keeps a farm of any size busy.
    /// </summary>
    [Range(1, 100_000)]
    public int WindowPerJob { get; set; } = 32;

    /// <summary>
    /// Batches kept queued per live worker of a model: one in the engine, one being prepared. More only delays
    /// newly submitted jobs, since RabbitMQ serves a queue in order.
    /// </summary>
    [Range(1, 100)]
    public int BatchesInFlightPerWorker { get; set; } = 2;

    /// <summary>
    /// Time a result takes to come back and be replaced by new work (recording, the next dispatch round, the broker):
    /// each worker gets this much of its measured engine time queued on top of its batches, so a fast engine never
    /// waits for the coordinator.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan RoundTripAllowance { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Ceiling of the images queued for one worker, which bounds how long a newly submitted job waits behind them.</summary>
    [Range(1, 100_000)]
    public int MaxInFlightPerWorker { get; set; } = 256;

    /// <summary>A failing image is tried this many times in all, then recorded as failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>In-flight floor per model, used before any worker has sent a heartbeat.</summary>
    [Range(1, 100_000)]
    public int MinInFlightPerModel { get; set; } = 8;

    /// <summary>
    /// Dispatch rounds start at most this often. A round costs the same few statements for one image or a hundred, so
    /// under load this sets how many images share one (measured: 20 ms took the farm's CPU per image from 2.8 to 2.5 ms).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan RoundInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How often the dispatcher looks for work when nothing wakes it earlier.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A worker whose last heartbeat is older than this is not counted as live.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WorkerExpiry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A dispatched image missing from every live worker's heartbeat this long after its dispatch, while those workers
    /// had room for more, is taken for lost and goes back to pending. Longer than a worker's heartbeat interval.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan LostImageAfter { get; set; } = TimeSpan.FromSeconds(12);
}

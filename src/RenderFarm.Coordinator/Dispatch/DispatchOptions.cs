using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Coordinator.Dispatch;

/// <summary>Section <c>Dispatch</c>: how much work leaves the database for the bus at once.</summary>
public sealed class DispatchOptions
{
    public const string SectionName = "Dispatch";

    /// <summary>At most this many images of one job are on the bus at once, so jobs behind it are not starved.</summary>
    [Range(1, 100_000)]
    public int WindowPerJob { get; set; } = 32;

    /// <summary>
    /// Batches kept queued per live worker of a model: one in the engine, one being prepared. More only delays
    /// newly submitted jobs, since RabbitMQ serves a queue in order.
    /// </summary>
    [Range(1, 100)]
    public int BatchesInFlightPerWorker { get; set; } = 2;

    /// <summary>In-flight floor per model, used before any worker has sent a heartbeat.</summary>
    [Range(1, 100_000)]
    public int MinInFlightPerModel { get; set; } = 8;

    /// <summary>How often the dispatcher looks for work when nothing wakes it earlier.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A worker whose last heartbeat is older than this is not counted as live.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WorkerExpiry { get; set; } = TimeSpan.FromSeconds(30);
}

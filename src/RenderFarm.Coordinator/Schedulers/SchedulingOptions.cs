using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Coordinator.Schedulers;

/// <summary>Section <c>Scheduling</c>: the Quartz scheduler that fires schedules and runs the farm's housekeeping.</summary>
public sealed class SchedulingOptions
{
    public const string SectionName = "Scheduling";

    /// <summary>Off: no schedule fires and no housekeeping runs on this coordinator (the API still edits schedules).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>This replica's name in the Quartz cluster; default host name, process id and a random suffix.</summary>
    public string? InstanceId { get; set; }

    /// <summary>How often a replica tells the cluster it is alive; a replica silent for longer is taken over.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(7.5);

    /// <summary>A firing later than this counts as missed and is handled by the misfire policy (fire once now).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often lost images (in no live worker's heartbeat) and the images of workers gone silent are looked for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan LostImageInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often images stuck in <c>dispatched</c> are looked for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00")]
    public TimeSpan ReaperInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>An image dispatched longer ago than this without a result goes back to pending: its worker is taken for dead.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan DispatchTimeout { get; set; } = TimeSpan.FromMinutes(10);

    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00")]
    public TimeSpan WorkerExpiryInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Worker rows whose last heartbeat is older than this are deleted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan ExpireWorkersAfter { get; set; } = TimeSpan.FromHours(1);

    [Range(typeof(TimeSpan), "00:00:00.500", "7.00:00:00")]
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Finished jobs older than this are deleted with their images and stored objects; null (default) keeps everything.</summary>
    public TimeSpan? RetainJobsFor { get; set; }

    /// <summary>How often the image store is listed for objects no image row points to.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "7.00:00:00")]
    public TimeSpan OrphanScanInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// An orphan younger than this is only reported, never removed: a worker uploads before its result is recorded, so
    /// a fresh object without a row is usually a result on its way.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan OrphanGracePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Keys compared with the database in one query.</summary>
    [Range(1, 10_000)]
    public int OrphanScanPageSize { get; set; } = 1000;

    /// <summary>Jobs deleted per retention round, so one round never holds a huge transaction.</summary>
    [Range(1, 10_000)]
    public int RetentionBatchSize { get; set; } = 100;
}

using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Coordinator.Quotas;

/// <summary>
/// The <c>Quotas</c> section: the farm's defaults for every studio (a studio's own value, set by an admin, wins).
/// Unset means unlimited; <c>Jobs:MaxImagesPerJob</c> still bounds every job.
/// </summary>
public sealed class QuotaOptions
{
    public const string SectionName = "Quotas";

    [Range(1, int.MaxValue)]
    public int? MaxImagesPerJob { get; set; }

    /// <summary>Images pending or in flight at once, all jobs of the studio together.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxQueuedImages { get; set; }

    /// <summary>Images submitted per UTC day.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxImagesPerDay { get; set; }

    /// <summary>Engine time used per UTC calendar month.</summary>
    [Range(1, long.MaxValue)]
    public long? MaxGpuSecondsPerMonth { get; set; }

    /// <summary>Job submissions per key per minute (token bucket); 0 turns the limit off.</summary>
    [Range(0, 100_000)]
    public int SubmissionsPerMinute { get; set; } = 60;
}

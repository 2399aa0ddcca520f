namespace RenderFarm.Core.Studios;

/// <summary>A tenant of the farm: owns jobs, images and schedules, holds keys, gets a share of the GPUs.</summary>
public sealed class Studio
{
    public Guid Id { get; set; }

    /// <summary>Lower-case letters, digits and dashes; how people and tokens name the studio.</summary>
    public string Name { get; set; } = "";

    /// <summary>Relative weight in the dispatcher's fair share between studios (two studios at 2 and 1 split the GPUs 2:1).</summary>
    public int Share { get; set; } = 1;

    /// <summary>Quotas of this studio; null takes the farm's default (<c>Quotas</c> section).</summary>
    public int? MaxImagesPerJob { get; set; }

    public int? MaxQueuedImages { get; set; }

    public int? MaxImagesPerDay { get; set; }

    public long? MaxGpuSecondsPerMonth { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

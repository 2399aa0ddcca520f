namespace RenderFarm.Core.Images;

/// <summary>One image of a job: what to render and, once rendered, where it is stored.</summary>
public sealed class JobImage
{
    public Guid Id { get; set; }
    public Guid JobId { get; set; }

    /// <summary>The job's studio, kept on the image too: ownership checks and usage sums read images without the job.</summary>
    public Guid? StudioId { get; set; }

    /// <summary>
    /// Hex SHA-256 of everything that decides the image's pixels (see <see cref="Jobs.RenderKeys"/>); null when the
    /// model's identity was unknown at submission. An image with the key of one already rendered need not be rendered.
    /// </summary>
    public string? RenderKey { get; set; }

    /// <summary>True when the image was not rendered for this job but is an earlier image with the same render key.</summary>
    public bool Reused { get; set; }
    public int Index { get; set; }
    public string Prompt { get; set; } = "";
    public long Seed { get; set; }
    public ImageStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? Error { get; set; }
    public string? ObjectKey { get; set; }
    public string? ContentType { get; set; }
    public long? Bytes { get; set; }
    public long? RenderMilliseconds { get; set; }
    public string? WorkerId { get; set; }

    /// <summary>The device class that rendered it ("cuda:NVIDIA H100", "cpu"): what its GPU-seconds cost.</summary>
    public string? Device { get; set; }
    public DateTimeOffset? DispatchedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}

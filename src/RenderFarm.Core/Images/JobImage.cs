namespace RenderFarm.Core.Images;

/// <summary>One image of a job: what to render and, once rendered, where it is stored.</summary>
public sealed class JobImage
{
    public Guid Id { get; set; }
    public Guid JobId { get; set; }
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
    public DateTimeOffset? DispatchedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}

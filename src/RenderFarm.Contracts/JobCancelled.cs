namespace RenderFarm.Contracts;

/// <summary>A job was cancelled; every worker hears it and skips the job's images it still holds.</summary>
public sealed record JobCancelled
{
    public required Guid JobId { get; init; }
}

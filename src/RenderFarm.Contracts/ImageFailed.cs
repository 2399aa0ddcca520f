namespace RenderFarm.Contracts;

/// <summary>An image failed for the last allowed time and will not be retried.</summary>
public sealed record ImageFailed
{
    public required Guid JobId { get; init; }
    public required Guid ImageId { get; init; }
    public required int Index { get; init; }
    public required string Error { get; init; }
    public required int Attempts { get; init; }
    public required string WorkerId { get; init; }
}

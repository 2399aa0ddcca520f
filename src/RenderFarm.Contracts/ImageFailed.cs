namespace RenderFarm.Contracts;

/// <summary>
/// An attempt at one image failed. In <see cref="BatchRendered"/> it is the worker's report of one attempt
/// (<see cref="Attempts"/> is that attempt's number); in <see cref="ImagesRecorded"/> the image failed for good.
/// </summary>
public sealed record ImageFailed
{
    public required Guid JobId { get; init; }
    public required Guid ImageId { get; init; }
    public required int Index { get; init; }
    public required string Error { get; init; }
    public required int Attempts { get; init; }
    public required string WorkerId { get; init; }
}

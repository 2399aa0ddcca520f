namespace RenderFarm.Contracts;

/// <summary>
/// A batch in a worker's engine has finished <see cref="Step"/> of <see cref="TotalSteps"/> denoising steps. Sent at
/// most every <c>Worker:ProgressInterval</c> per batch and never stored: it only moves progress bars. The lists are
/// parallel, one entry per image of the batch.
/// </summary>
public sealed record RenderProgress
{
    public required string WorkerId { get; init; }
    public required IReadOnlyList<Guid> JobIds { get; init; }
    public required IReadOnlyList<Guid> ImageIds { get; init; }
    public required IReadOnlyList<int> Indexes { get; init; }
    public required int Step { get; init; }
    public required int TotalSteps { get; init; }
}

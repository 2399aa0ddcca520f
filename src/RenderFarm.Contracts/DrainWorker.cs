namespace RenderFarm.Contracts;

/// <summary>
/// An operator asked <see cref="WorkerId"/> to drain: finish the images it holds and take no more. Every worker hears
/// it; only the one named acts.
/// </summary>
public sealed record DrainWorker
{
    public required string WorkerId { get; init; }
}

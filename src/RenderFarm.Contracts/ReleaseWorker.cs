namespace RenderFarm.Contracts;

/// <summary>
/// An operator released <see cref="WorkerId"/> from drain or quarantine: it takes work again, its count of failures
/// starting afresh. Every worker hears it; only the one named acts.
/// </summary>
public sealed record ReleaseWorker
{
    public required string WorkerId { get; init; }
}

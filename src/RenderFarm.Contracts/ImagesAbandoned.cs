namespace RenderFarm.Contracts;

/// <summary>
/// Images failed for good while their messages may still be on the broker (their workers were lost rendering them):
/// every worker hears it and skips them, so a message that kills its workers stops going round.
/// </summary>
public sealed record ImagesAbandoned
{
    public required IReadOnlyList<Guid> ImageIds { get; init; }
}

namespace RenderFarm.Coordinator.Jobs;

/// <summary>
/// What a synchronous job came to: validation errors, or the finished job with its rendered images in index order
/// (and the errors of those that failed), or a timeout naming the job that was cancelled.
/// </summary>
public sealed record SynchronousJobResult(
    SynchronousJobOutcome Outcome,
    IReadOnlyDictionary<string, string[]> Errors,
    JobView? Job = null,
    IReadOnlyList<JobImageView>? Images = null,
    Guid? JobId = null)
{
    public IEnumerable<JobImageView> Rendered => (Images ?? []).Where(i => i.Url is not null);
}

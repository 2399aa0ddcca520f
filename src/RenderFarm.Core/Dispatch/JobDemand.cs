using RenderFarm.Core.Jobs;

namespace RenderFarm.Core.Dispatch;

/// <summary>How many images a job still has waiting and in flight, as the dispatcher sees it, and whose it is.</summary>
/// <param name="StudioId">The owning studio; null for jobs without one (the embedded mode), which count as one studio.</param>
/// <param name="Share">The studio's weight in the fair share between studios.</param>
public sealed record JobDemand(
    Guid JobId,
    JobPriority Priority,
    int Pending,
    int InFlight,
    DateTimeOffset? LastDispatchedAt,
    DateTimeOffset CreatedAt,
    Guid? StudioId = null,
    int Share = 1)
{
    /// <summary>The job's deadline, when it is at risk of missing it: it is then served first in its tier, earliest deadline first.</summary>
    public DateTimeOffset? AtRiskDeadline { get; init; }
}

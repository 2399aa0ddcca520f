using RenderFarm.Core.Jobs;

namespace RenderFarm.Core.Dispatch;

/// <summary>How many images a job still has waiting and in flight, as the dispatcher sees it.</summary>
public sealed record JobDemand(
    Guid JobId,
    JobPriority Priority,
    int Pending,
    int InFlight,
    DateTimeOffset? LastDispatchedAt,
    DateTimeOffset CreatedAt);

using RenderFarm.Core.Jobs;

namespace RenderFarm.Core.Dispatch;

/// <summary>What an unfinished job still has to render, for estimating when it finishes.</summary>
public sealed record JobBacklog(Guid JobId, string Model, JobPriority Priority, int Remaining, DateTimeOffset? Deadline);

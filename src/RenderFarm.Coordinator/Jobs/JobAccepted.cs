namespace RenderFarm.Coordinator.Jobs;

/// <param name="Eta">For a job with a deadline: when it should finish at the farm's measured pace.</param>
/// <param name="AtRisk">For a job with a deadline: whether that is after the deadline.</param>
public sealed record JobAccepted(Guid Id, int ImageCount, string Status, DateTimeOffset? Eta = null, bool? AtRisk = null);

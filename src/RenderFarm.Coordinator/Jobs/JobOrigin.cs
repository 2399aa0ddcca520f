namespace RenderFarm.Coordinator.Jobs;

/// <summary>The schedule firing a job was submitted for.</summary>
public sealed record JobOrigin(Guid ScheduleId, DateTimeOffset ScheduledFor);

namespace RenderFarm.Coordinator.Schedules;

/// <summary>One firing of a schedule: the job it submitted, or why it submitted none (<c>status</c> "rejected").</summary>
public sealed record ScheduleFiringView(DateTimeOffset ScheduledFor, DateTimeOffset At, Guid? JobId, string Status, int Images, string? Reason);

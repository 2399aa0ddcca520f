namespace RenderFarm.Coordinator.Studios;

public sealed record AuditEntryView(long Id, DateTimeOffset At, Guid? StudioId, string Actor, string Action, string Target, string? Detail);

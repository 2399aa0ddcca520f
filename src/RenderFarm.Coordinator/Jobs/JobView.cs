namespace RenderFarm.Coordinator.Jobs;

/// <summary>A job's state and progress as the API shows it.</summary>
public sealed record JobView(
    Guid Id,
    string Status,
    string Priority,
    string Model,
    int Width,
    int Height,
    int Steps,
    double Guidance,
    long Seed,
    int Total,
    int Completed,
    int Failed,
    int Cancelled,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    Guid? ScheduleId = null,
    DateTimeOffset? ScheduledFor = null);

namespace RenderFarm.Coordinator.Jobs;

/// <summary>A job's state and progress as the API shows it, with everything needed to submit it again.</summary>
/// <param name="WaitingForWorker">The job still has images to render and no live worker serves its model (with its labels): it waits for one.</param>
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
    IReadOnlyList<string>? Prompts = null,
    string? NegativePrompt = null,
    int Count = 0,
    string? Format = null,
    Guid? ScheduleId = null,
    DateTimeOffset? ScheduledFor = null,
    IReadOnlyList<string>? RequireLabels = null,
    bool WaitingForWorker = false,

    Guid? StudioId = null,
    string? Studio = null,
    double? GpuSeconds = null,
    decimal? Cost = null,
    string? Noise = null,
    StepProgressView? EngineStep = null);

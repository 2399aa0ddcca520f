using RenderFarm.Core.Jobs;

namespace RenderFarm.Coordinator.Schedules;

/// <summary>A schedule as the API shows it; <c>NextFireAt</c> is null while paused.</summary>
public sealed record ScheduleView(
    Guid Id,
    string Name,
    string Cron,
    string TimeZone,
    IReadOnlyList<string> PromptTemplates,
    int Variations,
    IReadOnlyDictionary<string, List<string>> Lists,
    JobRequest Job,
    bool Paused,
    long Firings,
    DateTimeOffset? NextFireAt,
    DateTimeOffset? LastFiredAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

using RenderFarm.Core.Jobs;

namespace RenderFarm.Coordinator.Schedules;

/// <summary>What a client sends to create or replace a schedule.</summary>
public sealed record ScheduleRequest
{
    public string? Name { get; init; }

    /// <summary>Quartz cron syntax, seconds first: <c>0 0 7 * * ?</c>.</summary>
    public string? Cron { get; init; }

    /// <summary>IANA zone id; default UTC.</summary>
    public string? TimeZone { get; init; }

    public List<string>? PromptTemplates { get; init; }

    /// <summary>Prompts expanded from each template per firing (default 1).</summary>
    public int? Variations { get; init; }

    public Dictionary<string, List<string>>? Lists { get; init; }

    /// <summary>Everything <c>POST /api/jobs</c> takes except <c>prompts</c>.</summary>
    public JobRequest? Job { get; init; }

    public bool? Paused { get; init; }
}

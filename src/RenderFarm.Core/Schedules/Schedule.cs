using RenderFarm.Core.Jobs;

namespace RenderFarm.Core.Schedules;

/// <summary>
/// A recurring prompt job. This row is the record of truth; the scheduler (Quartz) holds a mirror of its cron trigger
/// and is rebuilt from these rows when it has lost them.
/// </summary>
public sealed class Schedule
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";

    /// <summary>Quartz cron syntax (seconds first): <c>0 0 7 * * ?</c> is every day at 07:00.</summary>
    public string Cron { get; set; } = "";

    /// <summary>IANA zone id the cron expression and the template's dates are read in.</summary>
    public string TimeZone { get; set; } = "UTC";

    public List<string> PromptTemplates { get; set; } = [];

    /// <summary>Prompts expanded from each template per firing; each gets the job template's count of images.</summary>
    public int Variations { get; set; } = 1;

    /// <summary>Named lists a template picks from with <c>{name}</c>.</summary>
    public Dictionary<string, List<string>> Lists { get; set; } = [];

    /// <summary>Everything a job takes except its prompts, which come from the templates.</summary>
    public JobRequest JobTemplate { get; set; } = new();

    public bool Paused { get; set; }

    /// <summary>How many times the schedule fired; the next firing's <c>{counter}</c> is this plus one.</summary>
    public long Firings { get; set; }

    public DateTimeOffset? LastFiredAt { get; set; }
    /// <summary>The studio that owns the schedule and every job it fires.</summary>
    public Guid? StudioId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

using System.Text.RegularExpressions;
using Quartz;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Models;
using RenderFarm.Core.Schedules;

namespace RenderFarm.Coordinator.Schedules;

/// <summary>
/// Checks a schedule when it is saved, so that nothing about it fails at 07:00: the cron expression and zone, each
/// template (expanded once for the next fire time), the lists, and the job template with the existing job rules.
/// </summary>
public sealed partial class ScheduleValidator(ModelCatalog models, JobLimitsOptions limits, TimeProvider clock)
{
    private const int MaxVariations = 100;

    /// <summary>Returns the schedule's fields (id and times not set), or null with errors keyed by JSON field.</summary>
    public Schedule? Validate(ScheduleRequest request, out Dictionary<string, string[]> errors)
    {
        var problems = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!problems.TryGetValue(field, out var list))
            {
                problems[field] = list = [];
            }

            list.Add(message);
        }

        var name = request.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            Add("name", "A name is required.");
        }
        else if (name.Length > 200)
        {
            Add("name", "A name may be at most 200 characters.");
        }
        else if (ControlCharacters.Check(name) is { } refused)
        {
            Add("name", refused);
        }

        var zoneId = string.IsNullOrWhiteSpace(request.TimeZone) ? "UTC" : request.TimeZone.Trim();
        TimeZoneInfo? zone = null;
        if (ControlCharacters.Check(zoneId) is { } refusedZone)
        {
            Add("timeZone", refusedZone);
        }
        else if (zoneId.Length > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out zone))
        {
            Add("timeZone", $"Unknown time zone '{zoneId}'; use an IANA id such as Europe/Berlin or UTC.");
        }

        var cron = request.Cron?.Trim() ?? "";
        DateTimeOffset? next = null;
        if (cron.Length == 0)
        {
            Add("cron", "A cron expression is required (Quartz syntax, seconds first: '0 0 7 * * ?' is every day at 07:00).");
        }
        else if (ControlCharacters.Check(cron) is { } refusedCron)
        {
            Add("cron", refusedCron);
        }
        else
        {
            try
            {
                CronExpression.ValidateExpression(cron);
                var expression = new CronExpression(cron) { TimeZone = zone ?? TimeZoneInfo.Utc };
                next = expression.GetNextValidTimeAfter(clock.GetUtcNow());
                if (next is null)
                {
                    Add("cron", $"'{cron}' never fires again.");
                }
            }
            catch (FormatException e)
            {
                Add("cron", $"'{cron}' is not a Quartz cron expression: {e.Message}");
            }
        }

        var variations = request.Variations ?? 1;
        if (variations is < 1 or > MaxVariations)
        {
            Add("variations", $"Variations must be between 1 and {MaxVariations}.");
        }

        var lists = request.Lists ?? [];
        foreach (var (list, items) in lists)
        {
            if (!ListName().IsMatch(list) || PromptTemplate.Variables.Contains(list))
            {
                Add($"lists.{list}", $"'{list}' cannot name a list: use letters, digits, '_' or '-', not one of {string.Join(", ", PromptTemplate.Variables)}.");
            }
            else if (items is null || items.Count == 0)
            {
                Add($"lists.{list}", "A list needs at least one item.");
            }
            else if (items.Any(string.IsNullOrWhiteSpace))
            {
                Add($"lists.{list}", "List items must not be empty.");
            }
            else
            {
                for (var i = 0; i < items.Count; i++)
                {
                    if (ControlCharacters.Check(items[i]) is { } refusedItem)
                    {
                        Add($"lists.{list}[{i}]", refusedItem);
                    }
                }
            }
        }

        var templates = request.PromptTemplates ?? [];
        if (templates.Count == 0)
        {
            Add("promptTemplates", "At least one prompt template is required.");
        }

        var schedule = new Schedule
        {
            Id = Guid.Empty,
            Name = name,
            Cron = cron,
            TimeZone = zoneId,
            PromptTemplates = [.. templates],
            Variations = variations,
            Lists = lists.Where(l => l.Value is not null).ToDictionary(l => l.Key, l => l.Value.ToList()),
            JobTemplate = (request.Job ?? new JobRequest()) with { Prompts = null },
            Paused = request.Paused ?? false,
        };

        // Each template expanded once, as the next firing would: unknown variables, bad formats and empty choices show now.
        var samples = new List<string>();
        var sampleTime = next ?? clock.GetUtcNow();
        for (var t = 0; t < templates.Count; t++)
        {
            if (string.IsNullOrWhiteSpace(templates[t]))
            {
                Add($"promptTemplates[{t}]", "A prompt template must not be empty.");
                continue;
            }

            if (ControlCharacters.Check(templates[t]) is { } refusedTemplate)
            {
                Add($"promptTemplates[{t}]", refusedTemplate);
                continue;
            }

            try
            {
                var local = zone is null ? sampleTime.UtcDateTime : TimeZoneInfo.ConvertTime(sampleTime, zone).DateTime;
                samples.Add(PromptTemplate.Expand(templates[t], new PromptTemplateContext(local, 1, 0), schedule.Lists));
            }
            catch (PromptTemplateException e)
            {
                Add($"promptTemplates[{t}]", e.Message);
            }
        }

        if (request.Job?.Prompts is { Count: > 0 })
        {
            Add("job.prompts", "A schedule's prompts come from promptTemplates; leave job.prompts out.");
        }

        // The job rules with the sample prompts standing in: sizes, model, steps, and the image count per firing.
        // A sample holding a control character got it from a list item already named above, not from the job rules.
        var sample = samples.FirstOrDefault(s => ControlCharacters.Check(s) is null) ?? "sample";
        var sampleJob = schedule.JobTemplate with { Prompts = [.. Enumerable.Repeat(sample, Math.Max(1, templates.Count) * Math.Max(1, variations))] };
        new JobRequestValidator(models, limits).Validate(sampleJob, out var jobErrors);
        foreach (var (field, messages) in jobErrors)
        {
            var key = field.StartsWith("prompts", StringComparison.Ordinal) ? "promptTemplates" : $"job.{field}";
            foreach (var message in messages)
            {
                Add(key, message);
            }
        }

        errors = problems.ToDictionary(p => p.Key, p => p.Value.ToArray());
        return errors.Count == 0 ? schedule : null;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex ListName();
}

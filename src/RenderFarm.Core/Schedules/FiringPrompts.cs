namespace RenderFarm.Core.Schedules;

/// <summary>The prompts one firing of a schedule submits: every template expanded <see cref="Schedule.Variations"/> times.</summary>
public static class FiringPrompts
{
    /// <param name="scheduledFor">The firing's scheduled time; with the schedule's id it fixes every pick.</param>
    /// <param name="counter">The firing's number (see <see cref="Schedule.Firings"/>).</param>
    /// <exception cref="PromptTemplateException">A template cannot be expanded.</exception>
    /// <exception cref="TimeZoneNotFoundException">The schedule's zone is unknown.</exception>
    public static List<string> Expand(Schedule schedule, DateTimeOffset scheduledFor, long counter)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone);
        var local = TimeZoneInfo.ConvertTime(scheduledFor, zone).DateTime;
        var seed = FiringSeeds.For(schedule.Id, scheduledFor);

        var prompts = new List<string>(schedule.PromptTemplates.Count * schedule.Variations);
        for (var t = 0; t < schedule.PromptTemplates.Count; t++)
        {
            for (var v = 0; v < schedule.Variations; v++)
            {
                var context = new PromptTemplateContext(local, counter, FiringSeeds.ForExpansion(seed, t, v));
                prompts.Add(PromptTemplate.Expand(schedule.PromptTemplates[t], context, schedule.Lists));
            }
        }

        return prompts;
    }
}

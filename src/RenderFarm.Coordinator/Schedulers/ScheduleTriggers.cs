using Quartz;
using RenderFarm.Core.Schedules;

namespace RenderFarm.Coordinator.Schedulers;

/// <summary>The Quartz mirror of a schedule: a durable job named by the schedule's id and one cron trigger in its zone.</summary>
public static class ScheduleTriggers
{
    /// <summary>Creates or replaces the schedule's job and trigger, paused when the schedule is.</summary>
    public static async Task PutAsync(IScheduler scheduler, Schedule schedule, CancellationToken cancellationToken)
    {
        var job = JobBuilder.Create<ScheduleFiringJob>()
            .WithIdentity(SchedulerKeys.ForSchedule(schedule.Id))
            .WithDescription(schedule.Name)
            .StoreDurably()
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(SchedulerKeys.TriggerForSchedule(schedule.Id))
            .ForJob(job)
            .WithCronSchedule(schedule.Cron, cron => cron
                .InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone))
                // The misfire policy: a firing missed because every coordinator was down (or the schedule was paused)
                // fires once as soon as the scheduler can, however many occurrences were missed; then the cron resumes.
                .WithMisfireHandlingInstructionFireAndProceed())
            .Build();

        await scheduler.ScheduleJob(job, [trigger], replace: true, cancellationToken);
        if (schedule.Paused)
        {
            await scheduler.PauseJob(job.Key, cancellationToken);
        }
    }
}

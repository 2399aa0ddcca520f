using Quartz;
using RenderFarm.Core.Schedules;

namespace RenderFarm.Coordinator.Schedulers;

/// <summary>The Quartz mirror of a schedule: a durable job named by the schedule's id and one cron trigger in its zone.</summary>
public static class ScheduleTriggers
{
    /// <summary>Creates or replaces the schedule's job and trigger; a paused schedule gets its job but no trigger.</summary>
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

        if (schedule.Paused)
        {
            // Adding a trigger and pausing it afterwards leaves a moment in which a frequent cron can fire.
            await scheduler.UnscheduleJob(trigger.Key, cancellationToken);
            await scheduler.AddJob(job, replace: true, cancellationToken);
            return;
        }

        await scheduler.ScheduleJob(job, [trigger], replace: true, cancellationToken);
    }
}

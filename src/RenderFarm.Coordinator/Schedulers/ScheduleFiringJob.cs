using Quartz;
using RenderFarm.Coordinator.Schedules;

namespace RenderFarm.Coordinator.Schedulers;

/// <summary>The Quartz job of a schedule: its key names the schedule, the trigger's scheduled fire time names the firing.</summary>
public sealed class ScheduleFiringJob(ScheduleFiring firing, ILogger<ScheduleFiringJob> logger) : IJob
{
    public async Task Execute(IJobExecutionContext context)
    {
        var scheduleId = SchedulerKeys.ScheduleIdOf(context.JobDetail.Key);
        // The scheduled time, not the moment it ran: a late (misfired) firing still expands as the one it stands for.
        var scheduledFor = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        try
        {
            if (await firing.FireAsync(scheduleId, scheduledFor, context.CancellationToken) is null)
            {
                logger.LogWarning("Schedule {ScheduleId} no longer exists; removing its trigger", scheduleId);
                await context.Scheduler.DeleteJob(context.JobDetail.Key, context.CancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failed firing is logged, not retried: the next occurrence comes on time anyway.
            throw new JobExecutionException($"Schedule {scheduleId} failed to fire for {scheduledFor:o}.", e, refireImmediately: false);
        }
    }
}

using Quartz;

namespace RenderFarm.Coordinator.Schedulers;

/// <summary>Names of the farm's Quartz jobs and triggers.</summary>
public static class SchedulerKeys
{
    /// <summary>One Quartz cluster per database: every coordinator replica must use this name.</summary>
    public const string SchedulerName = "RenderFarm";

    public const string SchedulesGroup = "schedules";
    public const string HousekeepingGroup = "housekeeping";

    public static JobKey ForSchedule(Guid scheduleId) => new(scheduleId.ToString("D"), SchedulesGroup);

    public static TriggerKey TriggerForSchedule(Guid scheduleId) => new(scheduleId.ToString("D"), SchedulesGroup);

    public static Guid ScheduleIdOf(JobKey key) => Guid.Parse(key.Name);
}

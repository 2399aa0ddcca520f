using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using Quartz.Impl.Matchers;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Schedulers;

/// <summary>
/// Starts Quartz once the schema is migrated (hosted services start in registration order), after making sure the
/// housekeeping jobs and every schedule's trigger exist. Stops it, letting running firings finish.
/// </summary>
public sealed class SchedulerHost(
    ISchedulerFactory factory,
    IServiceScopeFactory scopes,
    IOptions<SchedulingOptions> options,
    ILoggerFactory loggerFactory,
    ILogger<SchedulerHost> logger) : IHostedService
{
    private IScheduler? _scheduler;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        QuartzLogging.Attach(loggerFactory);
        if (!options.Value.Enabled)
        {
            logger.LogInformation("Scheduling is disabled on this coordinator (Scheduling:Enabled=false)");
            return;
        }

        var scheduler = await factory.GetScheduler(cancellationToken);
        await ScheduleHousekeepingAsync(scheduler, cancellationToken);
        await RestoreSchedulesAsync(scheduler, cancellationToken);
        await scheduler.Start(cancellationToken);
        _scheduler = scheduler;
        var metadata = await scheduler.GetMetaData(cancellationToken);
        logger.LogInformation("Scheduler {Instance} started ({Store})", scheduler.SchedulerInstanceId, metadata.JobStoreType.Name);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_scheduler is { } scheduler)
        {
            await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
        }

        QuartzLogging.Detach(loggerFactory);
    }

    private async Task ScheduleHousekeepingAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var jobs = new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>
        {
            [Housekeeping<StuckImageReaperJob>()] = [Every<StuckImageReaperJob>(settings.ReaperInterval)],
            [Housekeeping<LostImageJob>()] = [Every<LostImageJob>(settings.LostImageInterval)],
            [Housekeeping<WorkerExpiryJob>()] = [Every<WorkerExpiryJob>(settings.WorkerExpiryInterval)],
            [Housekeeping<RetentionJob>()] = [Every<RetentionJob>(settings.RetentionInterval)],
            [Housekeeping<OrphanScanJob>()] = [Every<OrphanScanJob>(settings.OrphanScanInterval)],
        };

        // Replaced on every start so interval changes take effect; replicas doing it together serialise on Quartz's lock.
        await scheduler.ScheduleJobs(jobs, replace: true, cancellationToken);
    }

    /// <summary>
    /// Adds the trigger of every schedule the scheduler lacks: all of them with the in-memory store, any whose
    /// Quartz write was lost with the persistent one. Existing triggers are left alone, so a misfire they carry
    /// (the coordinators were down at 07:00) is still handled.
    /// </summary>
    private async Task RestoreSchedulesAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RenderFarmDbContext>();
        var schedules = await db.Schedules.AsNoTracking().ToListAsync(cancellationToken);
        var known = await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(SchedulerKeys.SchedulesGroup), cancellationToken);
        var restored = 0;
        foreach (var schedule in schedules.Where(s => !known.Contains(SchedulerKeys.ForSchedule(s.Id))))
        {
            await ScheduleTriggers.PutAsync(scheduler, schedule, cancellationToken);
            restored++;
        }

        // Quartz jobs whose schedule row is gone (deleted while a write to Quartz failed) would only fire into nothing.
        var ids = schedules.Select(s => SchedulerKeys.ForSchedule(s.Id)).ToHashSet();
        var orphans = known.Where(k => !ids.Contains(k)).ToList();
        if (orphans.Count > 0)
        {
            await scheduler.DeleteJobs(orphans, cancellationToken);
        }

        if (restored + orphans.Count > 0)
        {
            logger.LogInformation("Scheduler: {Restored} schedules restored from the database, {Orphans} orphaned triggers removed", restored, orphans.Count);
        }
    }

    private static IJobDetail Housekeeping<TJob>()
        where TJob : IJob =>
        JobBuilder.Create<TJob>().WithIdentity(typeof(TJob).Name, SchedulerKeys.HousekeepingGroup).StoreDurably().Build();

    private static ITrigger Every<TJob>(TimeSpan interval) =>
        TriggerBuilder.Create()
            .WithIdentity(typeof(TJob).Name, SchedulerKeys.HousekeepingGroup)
            .ForJob(typeof(TJob).Name, SchedulerKeys.HousekeepingGroup)
            .StartNow()
            // Housekeeping that missed runs just runs at its next slot; catching up would do the same work twice.
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount())
            .Build();
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Webhooks;
using RenderFarm.Coordinator.Models;
using RenderFarm.Coordinator.Schedulers;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Schedules;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Schedules;

/// <summary>
/// Creates, changes and removes schedules: the row first, in a transaction that commits only once Quartz holds the
/// matching trigger, so the two never disagree for long (and the scheduler restores missing triggers at start).
/// </summary>
public sealed class ScheduleService(
    RenderFarmDbContext db,
    ISchedulerFactory schedulers,
    ScheduleFiring firing,
    ModelCatalogService catalogs,
    IOptions<JobLimitsOptions> limits,
    WebhookSecrets webhookSecrets,
    TimeProvider clock,
    ILogger<ScheduleService> logger)
{
    public async Task<IReadOnlyList<ScheduleView>> ListAsync(CancellationToken cancellationToken) =>
        (await db.Schedules.AsNoTracking().OrderBy(s => s.Name).ThenBy(s => s.Id).ToListAsync(cancellationToken)).Select(ToView).ToList();

    public async Task<ScheduleView?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Schedules.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is { } schedule ? ToView(schedule) : null;

    /// <returns>The new schedule, or null with the errors keyed by field.</returns>
    /// <param name="studioId">The studio that will own the schedule and its jobs.</param>
    public async Task<(ScheduleView? Schedule, Dictionary<string, string[]> Errors)> CreateAsync(ScheduleRequest request, Guid? studioId, CancellationToken cancellationToken)
    {
        var schedule = (await ValidatorAsync(cancellationToken)).Validate(request, out var errors);
        if (schedule is null)
        {
            return (null, errors);
        }

        var now = clock.GetUtcNow();
        schedule.Id = Guid.CreateVersion7(now);
        schedule.CreatedAt = schedule.UpdatedAt = now;
        schedule.StudioId = studioId;
        schedule.JobTemplate = schedule.JobTemplate with { WebhookSecret = webhookSecrets.Protect(schedule.JobTemplate.WebhookSecret) };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Schedules.Add(schedule);
        await db.SaveChangesAsync(cancellationToken);
        await ScheduleTriggers.PutAsync(await schedulers.GetScheduler(cancellationToken), schedule, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        logger.LogInformation("Schedule {ScheduleId} ({Name}) created: '{Cron}' in {TimeZone}", schedule.Id, schedule.Name, schedule.Cron, schedule.TimeZone);
        return (ToView(schedule), errors);
    }

    /// <summary>Replaces every field of a schedule; its counter and creation time stay.</summary>
    /// <returns>Found false when there is no such schedule.</returns>
    public async Task<(bool Found, ScheduleView? Schedule, Dictionary<string, string[]> Errors)> UpdateAsync(Guid id, ScheduleRequest request, CancellationToken cancellationToken)
    {
        var replacement = (await ValidatorAsync(cancellationToken)).Validate(request, out var errors);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var schedule = await db.Schedules.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (schedule is null)
        {
            return (false, null, errors);
        }

        if (replacement is null)
        {
            return (true, null, errors);
        }

        schedule.Name = replacement.Name;
        schedule.Cron = replacement.Cron;
        schedule.TimeZone = replacement.TimeZone;
        schedule.PromptTemplates = replacement.PromptTemplates;
        schedule.Variations = replacement.Variations;
        schedule.Lists = replacement.Lists;
        schedule.JobTemplate = replacement.JobTemplate with { WebhookSecret = webhookSecrets.Protect(replacement.JobTemplate.WebhookSecret) };
        schedule.Paused = replacement.Paused;
        schedule.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await ScheduleTriggers.PutAsync(await schedulers.GetScheduler(cancellationToken), schedule, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        logger.LogInformation("Schedule {ScheduleId} ({Name}) replaced: '{Cron}' in {TimeZone}", schedule.Id, schedule.Name, schedule.Cron, schedule.TimeZone);
        return (true, ToView(schedule), errors);
    }

    /// <summary>Removes the schedule and its trigger; jobs it already submitted stay, still tagged with its id.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.Schedules.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return false;
        }

        await (await schedulers.GetScheduler(cancellationToken)).DeleteJob(SchedulerKeys.ForSchedule(id), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Schedule {ScheduleId} deleted", id);
        return true;
    }

    /// <summary>
    /// Pauses or resumes. A schedule resumed after its fire time passed while paused fires once at once (the misfire
    /// policy), then follows its cron again.
    /// </summary>
    public async Task<ScheduleView?> SetPausedAsync(Guid id, bool paused, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var schedule = await db.Schedules.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (schedule is null)
        {
            return null;
        }

        schedule.Paused = paused;
        schedule.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = SchedulerKeys.ForSchedule(id);
        if (!await scheduler.CheckExists(SchedulerKeys.TriggerForSchedule(id), cancellationToken))
        {
            // Saved paused, or lost from the store: the trigger is made now.
            await ScheduleTriggers.PutAsync(scheduler, schedule, cancellationToken);
        }
        else if (paused)
        {
            await scheduler.PauseJob(key, cancellationToken);
        }
        else
        {
            await scheduler.ResumeJob(key, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Schedule {ScheduleId} {State}", id, paused ? "paused" : "resumed");
        return ToView(schedule);
    }

    /// <summary>Fires the schedule now, outside its cron (paused or not): the job is tagged with this moment.</summary>
    public Task<(JobAccepted? Accepted, Dictionary<string, string[]> Errors)?> RunNowAsync(Guid id, CancellationToken cancellationToken) =>
        firing.FireAsync(id, clock.GetUtcNow(), cancellationToken);

    private async Task<ScheduleValidator> ValidatorAsync(CancellationToken cancellationToken) =>
        new(await catalogs.GetAsync(cancellationToken), limits.Value, clock);

    private ScheduleView ToView(Schedule s)
    {
        DateTimeOffset? next = null;
        if (!s.Paused)
        {
            var cron = new CronExpression(s.Cron) { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(s.TimeZone) };
            next = cron.GetNextValidTimeAfter(clock.GetUtcNow());
        }

        // The webhook's secret is stored encrypted and never shown; a change of the template names it again.
        return new ScheduleView(s.Id, s.Name, s.Cron, s.TimeZone, s.PromptTemplates, s.Variations, s.Lists, s.JobTemplate with { WebhookSecret = null }, s.Paused,
            s.Firings, next, s.LastFiredAt, s.CreatedAt, s.UpdatedAt);
    }
}

using Microsoft.EntityFrameworkCore;
using RenderFarm.Coordinator.Audit;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Quotas;
using RenderFarm.Coordinator.Webhooks;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Schedules;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Schedules;

/// <summary>
/// One firing of a schedule: expands its templates for the scheduled time and submits an ordinary job tagged with the
/// schedule and that time. The schedule's counter and the job are written in one transaction.
/// </summary>
public sealed class ScheduleFiring(RenderFarmDbContext db, JobService jobs, AuditTrail audit, WebhookSecrets webhookSecrets, TimeProvider clock, ILogger<ScheduleFiring> logger)
{
    /// <returns>The submitted job; null when the schedule does not exist; errors when its job template no longer validates.</returns>
    public async Task<(JobAccepted? Accepted, Dictionary<string, string[]> Errors)?> FireAsync(Guid scheduleId, DateTimeOffset scheduledFor, CancellationToken cancellationToken)
    {
        // Quartz keeps milliseconds; so does the seed. Truncate here so the stored time re-derives the same seed.
        scheduledFor = DateTimeOffset.FromUnixTimeMilliseconds(scheduledFor.ToUnixTimeMilliseconds());

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var schedule = await LockAsync(scheduleId, cancellationToken);
        if (schedule is null)
        {
            return null;
        }

        var existing = await db.Jobs.AsNoTracking()
            .FirstOrDefaultAsync(j => j.ScheduleId == scheduleId && j.ScheduledFor == scheduledFor, cancellationToken);
        if (existing is not null)
        {
            // The same firing run again (scheduler recovery): its job exists, submitting again would duplicate it.
            logger.LogInformation("Schedule {ScheduleId} firing for {ScheduledFor:o} already submitted job {JobId}", scheduleId, scheduledFor, existing.Id);
            return (new JobAccepted(existing.Id, existing.ImageCount, existing.Status.ToWire()), []);
        }

        schedule.Firings++;
        schedule.LastFiredAt = clock.GetUtcNow();
        var prompts = FiringPrompts.Expand(schedule, scheduledFor, schedule.Firings);
        var request = schedule.JobTemplate with
        {
            Prompts = prompts,
            Seed = schedule.JobTemplate.Seed ?? FiringSeeds.JobSeed(FiringSeeds.For(scheduleId, scheduledFor)),
            WebhookSecret = schedule.JobTemplate.WebhookSecret is { } secret ? webhookSecrets.Unprotect(secret) : null,
        };

        JobAccepted? accepted;
        Dictionary<string, string[]> errors;
        try
        {
            var submission = await jobs.SubmitAsync(request, schedule.StudioId, new JobOrigin(scheduleId, scheduledFor), cancellationToken);
            (accepted, errors) = submission;
            if (submission.NoWorker is { } noWorker)
            {
                errors["requireWorker"] = [noWorker];
            }
        }
        catch (QuotaExceededException e)
        {
            (accepted, errors) = (null, new Dictionary<string, string[]> { ["quota"] = [e.Message] });
        }

        if (accepted is null)
        {
            // Validated when saved, so only a changed farm (a model removed, lower limits) or a quota gets here. The
            // firing is recorded as rejected, with why, in the schedule's history.
            var reason = string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
            logger.LogError("Schedule {ScheduleId} ({Name}) fired for {ScheduledFor:o} but its job was rejected: {Errors}", scheduleId, schedule.Name, scheduledFor, reason);
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            await audit.RecordAsync(ScheduleHistory.RejectedFiring, scheduleId.ToString("D"), schedule.StudioId, $"{scheduledFor:o}: {reason}", cancellationToken);
            return (null, errors);
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Schedule {ScheduleId} ({Name}) fired for {ScheduledFor:o}: job {JobId} with {ImageCount} images",
            scheduleId, schedule.Name, scheduledFor, accepted.Id, accepted.ImageCount);
        return (accepted, errors);
    }

    /// <summary>Row lock on PostgreSQL, so a manual run-now and a cron firing count one after the other; SQLite serialises writers anyway.</summary>
    private Task<Schedule?> LockAsync(Guid scheduleId, CancellationToken cancellationToken) =>
        db.Database.IsNpgsql()
            ? db.Schedules.FromSql($"""SELECT * FROM schedules WHERE "Id" = {scheduleId} FOR UPDATE""").SingleOrDefaultAsync(cancellationToken)
            : db.Schedules.SingleOrDefaultAsync(s => s.Id == scheduleId, cancellationToken);
}

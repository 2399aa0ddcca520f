using Microsoft.EntityFrameworkCore;
using RenderFarm.Coordinator.Webhooks;
using RenderFarm.Core.Jobs;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Jobs;

/// <summary>
/// Marks jobs finished once none of their images is pending or in flight, with the status their images earned. Safe to
/// call any number of times: only an open job with nothing open left changes, and only once.
/// </summary>
public sealed class JobFinalizer(RenderFarmDbContext db, WebhookOutbox webhooks, TimeProvider clock, ILogger<JobFinalizer> logger)
{
    /// <returns>How many of <paramref name="jobIds"/> this call finished.</returns>
    public async Task<int> FinishAsync(IReadOnlyCollection<Guid> jobIds, CancellationToken cancellationToken)
    {
        if (jobIds.Count == 0)
        {
            return 0;
        }

        // Written as EF would write it: SQLite keeps timestamps as numbers (the context's converter).
        var now = clock.GetUtcNow();
        var converter = db.Model.FindEntityType(typeof(RenderJob))!.FindProperty(nameof(RenderJob.FinishedAt))!.GetTypeMapping().Converter;
        var finishedAt = converter?.ConvertToProvider(now) ?? now;

        // A job's webhook delivery commits with its finish, or neither does.
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        List<FinishedJob> finished;
        if (db.Database.IsNpgsql())
        {
            finished = await db.Database.SqlQueryRaw<FinishedJob>(FinishStatement("= ANY({0})"), jobIds.ToArray(), finishedAt).ToListAsync(cancellationToken);
        }
        else
        {
            // SQLite takes no arrays; in-process, a statement per job is no round trip.
            finished = [];
            foreach (var jobId in jobIds)
            {
                finished.AddRange(await db.Database.SqlQueryRaw<FinishedJob>(FinishStatement("= {0}"), jobId, finishedAt).ToListAsync(cancellationToken));
            }
        }

        foreach (var job in finished.Where(j => j.HasWebhook))
        {
            await webhooks.EnqueueJobFinishedAsync(job.Id, cancellationToken);
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var job in finished)
        {
            logger.LogInformation("Job {JobId} finished {Status}", job.Id, Enum.Parse<JobStatus>(job.Status).ToWire());
        }

        return finished.Count;
    }

    /// <summary>
    /// One statement decides and writes, so results that end many jobs at once (one-image jobs from the
    /// OpenAI-compatible API) cost one round trip rather than a count, an update and a commit per job. Its own condition
    /// keeps a second caller from finishing a job twice; whether anything is open is a probe of the open-images index.
    /// </summary>
    /// <param name="whichJobs">The condition on the job's id, with the ids as parameter {0}; the finishing time is {1}.</param>
    private static string FinishStatement(string whichJobs) => $$"""
        UPDATE jobs
        SET "Status" = CASE
                WHEN NOT EXISTS (SELECT 1 FROM images AS i WHERE i."JobId" = jobs."Id" AND i."Status" = 'Failed') THEN 'Completed'
                WHEN NOT EXISTS (SELECT 1 FROM images AS i WHERE i."JobId" = jobs."Id" AND i."Status" = 'Rendered') THEN 'Failed'
                ELSE 'CompletedWithErrors' END,
            "FinishedAt" = {1}
        WHERE jobs."Id" {{whichJobs}} AND jobs."Status" IN ('Queued', 'Running')
            AND NOT EXISTS (SELECT 1 FROM images AS i WHERE i."JobId" = jobs."Id" AND i."Status" IN ('Pending', 'Dispatched'))
        RETURNING jobs."Id" AS "Id", jobs."Status" AS "Status", jobs."WebhookUrl" IS NOT NULL AS "HasWebhook"
        """;

    /// <summary>A row of the finishing statement's RETURNING clause.</summary>
    private sealed class FinishedJob
    {
        public Guid Id { get; init; }

        public string Status { get; init; } = "";

        public bool HasWebhook { get; init; }
    }
}

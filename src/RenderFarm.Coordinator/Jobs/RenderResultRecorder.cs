using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Dispatch;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Storage;
using RenderFarm.Core.Telemetry;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Jobs;

/// <summary>
/// Writes workers' results to the image rows, many images per statement. Every write is conditional on the image
/// still being open, so a redelivered report, a duplicate render or a result for a cancelled image changes nothing.
/// </summary>
public sealed class RenderResultRecorder(
    RenderFarmDbContext db,
    IImageStore store,
    JobFinalizer finalizer,
    IOptions<DispatchOptions> options,
    TimeProvider clock,
    ILogger<RenderResultRecorder> logger)
{
    /// <returns>What was recorded now: rendered images, and images that failed for good.</returns>
    public async Task<ImagesRecorded> RecordAsync(IReadOnlyList<ImageRendered> rendered, IReadOnlyList<ImageFailed> failed, CancellationToken cancellationToken)
    {
        rendered = rendered.DistinctBy(r => r.ImageId).ToList();
        var renderedIds = rendered.Select(r => r.ImageId).ToHashSet();
        failed = failed.DistinctBy(f => f.ImageId).Where(f => !renderedIds.Contains(f.ImageId)).ToList();
        var now = clock.GetUtcNow();

        var recorded = rendered.Count == 0 ? [] : (await RecordRenderedAsync(rendered, now, cancellationToken)).ToHashSet();
        var finalAttempts = failed.Count == 0 ? [] : await RecordFailedAsync(failed, now, cancellationToken);

        await RemoveRefusedAsync([.. rendered.Where(r => !recorded.Contains(r.ImageId))], cancellationToken);

        var result = new ImagesRecorded
        {
            Rendered = [.. rendered.Where(r => recorded.Contains(r.ImageId))],
            Failed = [.. failed.Where(f => finalAttempts.ContainsKey(f.ImageId)).Select(f => f with { Attempts = finalAttempts[f.ImageId] })],
        };
        FarmMetrics.ImagesRecorded.Add(result.Rendered.Count, new KeyValuePair<string, object?>("outcome", "rendered"));
        FarmMetrics.ImagesRecorded.Add(result.Failed.Count, new KeyValuePair<string, object?>("outcome", "failed"));
        await FinishJobsAsync(result, now, cancellationToken);
        return result;
    }

    /// <summary>
    /// Puts images a worker could not store back to pending without charging an attempt: the dependency failed, not
    /// the model. Only images still dispatched move, so a result recorded meanwhile wins.
    /// </summary>
    public async Task ReturnAsync(IReadOnlyList<ImageFailed> returned, CancellationToken cancellationToken)
    {
        if (returned.Count == 0)
        {
            return;
        }

        var ids = returned.Select(r => r.ImageId).ToList();
        var moved = await db.Images
            .Where(i => ids.Contains(i.Id) && i.Status == ImageStatus.Dispatched)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImageStatus.Pending).SetProperty(i => i.DispatchedAt, (DateTimeOffset?)null), cancellationToken);
        logger.LogWarning("{Count} images were handed back by their workers ({Error}); back to pending, no attempt charged", moved, returned[0].Error);
    }

    private async Task<List<Guid>> RecordRenderedAsync(IReadOnlyList<ImageRendered> rendered, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            var ids = rendered.Select(r => r.ImageId).ToArray();
            var keys = rendered.Select(r => r.ObjectKey).ToArray();
            var types = rendered.Select(r => r.ContentType).ToArray();
            var bytes = rendered.Select(r => r.Bytes).ToArray();
            var milliseconds = rendered.Select(r => r.RenderMilliseconds).ToArray();
            var workers = rendered.Select(r => r.WorkerId).ToArray();
            var devices = rendered.Select(r => r.Device).ToArray();
            return await db.Database.SqlQuery<Guid>($"""
                UPDATE images AS i
                SET "Status" = 'Rendered', "ObjectKey" = r.key, "ContentType" = r.type, "Bytes" = r.bytes,
                    "RenderMilliseconds" = r.ms, "WorkerId" = r.worker, "Device" = r.device, "Attempts" = i."Attempts" + 1,
                    "Error" = NULL, "FinishedAt" = {now}
                FROM unnest({ids}, {keys}, {types}, {bytes}, {milliseconds}, {workers}, {devices}) AS r(id, key, type, bytes, ms, worker, device)
                WHERE i."Id" = r.id AND i."Status" IN ('Pending', 'Dispatched')
                RETURNING i."Id" AS "Value"
                """).ToListAsync(cancellationToken);
        }

        // SQLite is in-process: a statement per image is no round trip, and one transaction makes it one write. One
        // prepared command rather than an EF ExecuteUpdate each, whose expression tree and parameters cost more than
        // the write (a tenth of the embedded farm's CPU, measured with perf).
        var entity = db.Model.FindEntityType(typeof(JobImage))!;
        var recorded = new List<Guid>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = """
            UPDATE images
            SET "Status" = @rendered, "ObjectKey" = @key, "ContentType" = @type, "Bytes" = @bytes, "RenderMilliseconds" = @ms,
                "WorkerId" = @worker, "Device" = @device, "Attempts" = "Attempts" + 1, "Error" = NULL, "FinishedAt" = @now
            WHERE "Id" = @id AND "Status" IN (@pending, @dispatched)
            """;

        // Each parameter made by its property's type mapping, as EF would (its converter, SQLite's text GUIDs); the
        // mappings are looked up once, the parameters made anew for each image.
        (string Name, string Property, Func<ImageRendered, object?> Value)[] columns =
        [
            ("@rendered", nameof(JobImage.Status), _ => ImageStatus.Rendered),
            ("@pending", nameof(JobImage.Status), _ => ImageStatus.Pending),
            ("@dispatched", nameof(JobImage.Status), _ => ImageStatus.Dispatched),
            ("@key", nameof(JobImage.ObjectKey), r => r.ObjectKey),
            ("@type", nameof(JobImage.ContentType), r => r.ContentType),
            ("@bytes", nameof(JobImage.Bytes), r => r.Bytes),
            ("@ms", nameof(JobImage.RenderMilliseconds), r => r.RenderMilliseconds),
            ("@worker", nameof(JobImage.WorkerId), r => r.WorkerId),
            ("@device", nameof(JobImage.Device), r => r.Device),
            ("@now", nameof(JobImage.FinishedAt), _ => now),
            ("@id", nameof(JobImage.Id), r => r.ImageId),
        ];
        var parameters = columns.Select(c => (c.Name, Mapping: entity.FindProperty(c.Property)!.GetRelationalTypeMapping(), c.Value)).ToList();
        foreach (var r in rendered)
        {
            command.Parameters.Clear();
            foreach (var (name, mapping, value) in parameters)
            {
                command.Parameters.Add(mapping.CreateParameter(command, name, value(r), nullable: true));
            }

            if (await command.ExecuteNonQueryAsync(cancellationToken) > 0)
            {
                recorded.Add(r.ImageId);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return recorded;
    }

    /// <summary>Counts failed attempts: each image goes back to pending for another try, or fails for good after the last.</summary>
    /// <returns>The attempts of the images that failed for good.</returns>
    private async Task<Dictionary<Guid, int>> RecordFailedAsync(IReadOnlyList<ImageFailed> failed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var maxAttempts = options.Value.MaxAttempts;
        List<FailureOutcome> outcomes;
        if (db.Database.IsNpgsql())
        {
            var ids = failed.Select(f => f.ImageId).ToArray();
            var errors = failed.Select(f => f.Error).ToArray();
            var workers = failed.Select(f => f.WorkerId).ToArray();
            outcomes = await db.Database.SqlQuery<FailureOutcome>($"""
                UPDATE images AS i
                SET "Attempts" = i."Attempts" + 1, "Error" = f.error, "WorkerId" = f.worker,
                    "Status" = CASE WHEN i."Attempts" + 1 >= {maxAttempts} THEN 'Failed' ELSE 'Pending' END,
                    "FinishedAt" = CASE WHEN i."Attempts" + 1 >= {maxAttempts} THEN {now} ELSE NULL END
                FROM unnest({ids}, {errors}, {workers}) AS f(id, error, worker)
                WHERE i."Id" = f.id AND i."Status" IN ('Pending', 'Dispatched')
                RETURNING i."Id" AS "Id", i."Status" AS "Status", i."Attempts" AS "Attempts"
                """).ToListAsync(cancellationToken);
        }
        else
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var ids = failed.Select(f => f.ImageId).ToList();
            var open = await db.Images
                .Where(i => ids.Contains(i.Id) && (i.Status == ImageStatus.Pending || i.Status == ImageStatus.Dispatched))
                .Select(i => new { i.Id, i.Attempts })
                .ToDictionaryAsync(i => i.Id, i => i.Attempts, cancellationToken);
            outcomes = [];
            foreach (var f in failed.Where(f => open.ContainsKey(f.ImageId)))
            {
                var attempts = open[f.ImageId] + 1;
                var status = attempts >= maxAttempts ? ImageStatus.Failed : ImageStatus.Pending;
                await db.Images
                    .Where(i => i.Id == f.ImageId)
                    .ExecuteUpdateAsync(
                        s => s.SetProperty(i => i.Attempts, attempts)
                            .SetProperty(i => i.Error, f.Error)
                            .SetProperty(i => i.WorkerId, f.WorkerId)
                            .SetProperty(i => i.Status, status)
                            .SetProperty(i => i.FinishedAt, status == ImageStatus.Failed ? now : (DateTimeOffset?)null),
                        cancellationToken);
                outcomes.Add(new FailureOutcome { Id = f.ImageId, Status = status.ToString(), Attempts = attempts });
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return outcomes.Where(o => o.Status == nameof(ImageStatus.Failed)).ToDictionary(o => o.Id, o => o.Attempts);
    }

    /// <summary>
    /// An object uploaded for an image whose row refused it (cancelled, or failed for good meanwhile) would be
    /// orphaned, since no row points to it. One that the row holds (a duplicate render under the same key) stays.
    /// </summary>
    private async Task RemoveRefusedAsync(List<ImageRendered> refused, CancellationToken cancellationToken)
    {
        if (refused.Count == 0)
        {
            return;
        }

        var ids = refused.Select(r => r.ImageId).ToList();
        var held = await db.Images.Where(i => ids.Contains(i.Id) && i.Status == ImageStatus.Rendered).Select(i => i.Id).ToListAsync(cancellationToken);
        var orphans = refused.Where(r => !held.Contains(r.ImageId)).Select(r => r.ObjectKey).ToList();
        if (orphans.Count == 0)
        {
            return;
        }

        try
        {
            await store.DeleteAsync(orphans, cancellationToken);
            logger.LogInformation("Removed {Count} objects rendered for images that no longer wanted them", orphans.Count);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Recording must not wait for the store: an object left behind wastes space, a lost result would lose an image.
            logger.LogWarning(e, "Could not remove {Count} refused objects", orphans.Count);
        }
    }

    /// <summary>
    /// Finishes the jobs of <paramref name="recorded"/> that have nothing pending or in flight any more, and measures
    /// each image's time since submission: one query for the batch, not one per image.
    /// </summary>
    private async Task FinishJobsAsync(ImagesRecorded recorded, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outcomes = recorded.Rendered.Select(r => (r.JobId, Outcome: "rendered")).Concat(recorded.Failed.Select(f => (f.JobId, Outcome: "failed"))).ToList();
        if (outcomes.Count == 0)
        {
            return;
        }

        var jobIds = outcomes.Select(o => o.JobId).Distinct().ToList();
        var jobs = await db.Jobs.AsNoTracking()
            .Where(j => jobIds.Contains(j.Id))
            .Select(j => new
            {
                j.Id,
                j.Model,
                j.CreatedAt,
                Done = (j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
                    // Two probes of the open-images index rather than one scan of the job's images.
                    && !j.Images.Any(i => i.Status == ImageStatus.Pending) && !j.Images.Any(i => i.Status == ImageStatus.Dispatched),
            })
            .ToDictionaryAsync(j => j.Id, cancellationToken);
        foreach (var (jobId, outcome) in outcomes.Where(o => jobs.ContainsKey(o.JobId)))
        {
            FarmMetrics.QueueToFinishSeconds.Record((now - jobs[jobId].CreatedAt).TotalSeconds, new("model", jobs[jobId].Model), new("outcome", outcome));
        }

        await finalizer.FinishAsync([.. jobs.Values.Where(j => j.Done).Select(j => j.Id)], cancellationToken);
    }

    /// <summary>A row of the failure statement's RETURNING clause.</summary>
    private sealed class FailureOutcome
    {
        public Guid Id { get; init; }

        public string Status { get; init; } = "";

        public int Attempts { get; init; }
    }
}

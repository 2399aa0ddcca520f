using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Images;
using RenderFarm.Core.Imaging;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Workers;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>The coordinator's Quartz housekeeping jobs on real servers.</summary>
public sealed class HousekeepingTests
{
    [Fact]
    public async Task The_reaper_redispatches_images_whose_worker_vanished_and_the_job_completes_with_every_image_once()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(20));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine], new Dictionary<string, string?>
        {
            ["Scheduling:ReaperInterval"] = "00:00:00.500",
            ["Scheduling:DispatchTimeout"] = "00:00:05",
            // The reaper alone: the heartbeat reconciliation would find these images first (LostImageTests).
            ["Dispatch:LostImageAfter"] = "01:00:00",
        });

        // A running job as a dead worker leaves it: three images dispatched half an hour ago whose messages are gone
        // with the worker, the rest still pending.
        var now = DateTimeOffset.UtcNow;
        var job = StrandedJobs.Create(model, ["a lighthouse", "a fox"], 4, 500, now.AddHours(-1), now.AddMinutes(-30), 1, 4, 6);

        await using (var db = farm.CreateDbContext())
        {
            db.Jobs.Add(job);
            await db.SaveChangesAsync();
        }

        var done = await farm.WaitForJobAsync(job.Id, j => j.Status is "completed" or "failed" or "completed_with_errors", TimeSpan.FromSeconds(60));

        Assert.Equal(("completed", 8, 8), (done.Status, done.Total, done.Completed));
        Assert.Equal(Enumerable.Range(500, 8).Select(s => (long)s), engine.Rendered.Select(i => i.Seed).Order());
        var keys = await farm.ListObjectsAsync($"jobs/{job.Id:D}/");
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"jobs/{job.Id:D}/{i:D6}.png"), keys.Order(StringComparer.Ordinal));
        await using (var db = farm.CreateDbContext())
        {
            var rows = await db.Images.Where(i => i.JobId == job.Id).ToListAsync();
            Assert.Equal(8, rows.Count);
            // The lost delivery counted as an attempt.
            Assert.All(rows, r => Assert.Equal((ImageStatus.Rendered, r.Index is 1 or 4 or 6 ? 2 : 1), (r.Status, r.Attempts)));
        }
    }

    [Fact]
    public async Task An_image_whose_worker_is_lost_on_every_attempt_fails_instead_of_being_sent_forever()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(20));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine], new Dictionary<string, string?>
        {
            ["Scheduling:ReaperInterval"] = "00:00:00.500",
            ["Scheduling:DispatchTimeout"] = "00:00:05",
            ["Dispatch:MaxAttempts"] = "2",
            ["Dispatch:LostImageAfter"] = "01:00:00",
        });

        // Image 0 already lost one worker and is lost again (dispatched half an hour ago, no result); image 1 renders.
        var now = DateTimeOffset.UtcNow;
        var job = StrandedJobs.Create(model, ["a poison pill"], 2, 7, now.AddHours(-1), now.AddMinutes(-30), 0);
        var poison = job.Images.Single(i => i.Index == 0);
        poison.Attempts = 1;
        await using (var db = farm.CreateDbContext())
        {
            db.Jobs.Add(job);
            await db.SaveChangesAsync();
        }

        var done = await farm.WaitForJobAsync(job.Id, j => j.Status is "completed" or "failed" or "completed_with_errors", TimeSpan.FromSeconds(60));

        Assert.Equal(("completed_with_errors", 1, 1), (done.Status, done.Completed, done.Failed));
        Assert.Equal([8L], engine.Rendered.Select(i => i.Seed));
        await using (var db = farm.CreateDbContext())
        {
            var row = await db.Images.SingleAsync(i => i.Id == poison.Id);
            Assert.Equal((ImageStatus.Failed, 2), (row.Status, row.Attempts));
            Assert.Contains("worker was lost", row.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Silent_workers_expire_and_old_finished_jobs_are_deleted_with_their_images()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(10));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine], new Dictionary<string, string?>
        {
            ["Scheduling:WorkerExpiryInterval"] = "00:00:00.500",
            ["Scheduling:ExpireWorkersAfter"] = "00:10:00",
            ["Scheduling:RetentionInterval"] = "00:00:00.500",
            ["Scheduling:RetainJobsFor"] = "01:00:00",
        });

        var old = DateTimeOffset.UtcNow.AddHours(-2);
        var spec = new JobSpec(["old"], 1, "", model, 64, 64, 2, 0, 1, JobPriority.Normal, ImageFormat.Png);
        var expired = JobSplitter.Split(spec, Guid.CreateVersion7(), old);
        expired.Status = JobStatus.Completed;
        expired.FinishedAt = old;
        expired.Images[0].Status = ImageStatus.Rendered;
        expired.Images[0].ObjectKey = $"jobs/{expired.Id:D}/000000.png";
        await using (var db = farm.CreateDbContext())
        {
            db.Jobs.Add(expired);
            db.Workers.Add(new WorkerRecord { Id = "gone-worker", Host = "h", Device = "d", Models = [model], StartedAt = old, LastSeen = old });
            await db.SaveChangesAsync();
        }

        // A fresh job renders (its object exists) and must survive retention, as must the live worker.
        var fresh = await farm.SubmitAsync(new JobRequest { Prompts = ["fresh"], Count = 2 });
        await farm.WaitForJobAsync(fresh.Id, j => j.Status == "completed", TimeSpan.FromSeconds(60));

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            await using var db = farm.CreateDbContext();
            var oldJobLeft = await db.Jobs.AnyAsync(j => j.Id == expired.Id) || await db.Images.AnyAsync(i => i.JobId == expired.Id);
            var oldWorkerLeft = await db.Workers.AnyAsync(w => w.Id == "gone-worker");
            if (!oldJobLeft && !oldWorkerLeft)
            {
                break;
            }

            Assert.False(deadline.IsCancellationRequested, $"old job left: {oldJobLeft}, old worker left: {oldWorkerLeft}");
            await Task.Delay(200);
        }

        await using (var db = farm.CreateDbContext())
        {
            Assert.Equal(2, await db.Images.CountAsync(i => i.JobId == fresh.Id));
            Assert.True(await db.Workers.AnyAsync(w => w.Id == "worker-0"));
        }

        Assert.Equal(2, (await farm.ListObjectsAsync($"jobs/{fresh.Id:D}/")).Count);
    }

    [Fact]
    public async Task Retention_keeps_an_object_that_a_newer_jobs_reused_image_still_points_to()
    {
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [], new Dictionary<string, string?>
        {
            ["Scheduling:RetentionInterval"] = "00:00:00.500",
            ["Scheduling:RetainJobsFor"] = "01:00:00",
        });

        // Two old jobs with an object each; a recent job reuses the first one's image.
        var old = DateTimeOffset.UtcNow.AddHours(-2);
        var spec = new JobSpec(["old"], 1, "", model, 64, 64, 2, 0, 1, JobPriority.Normal, ImageFormat.Png);
        RenderJob Finished(DateTimeOffset at, string key)
        {
            var job = JobSplitter.Split(spec, Guid.CreateVersion7(), at);
            job.Status = JobStatus.Completed;
            job.FinishedAt = at;
            job.Images[0].Status = ImageStatus.Rendered;
            job.Images[0].ObjectKey = key;
            return job;
        }

        var shared = Finished(old, $"jobs/{Guid.NewGuid():D}/000000.png");
        var alone = Finished(old, $"jobs/{Guid.NewGuid():D}/000000.png");
        var reusing = Finished(DateTimeOffset.UtcNow, shared.Images[0].ObjectKey!);
        reusing.Images[0].Reused = true;
        foreach (var key in new[] { shared.Images[0].ObjectKey!, alone.Images[0].ObjectKey! })
        {
            using var bytes = new MemoryStream([1, 2, 3]);
            await farm.S3.PutObjectAsync(new Minio.DataModel.Args.PutObjectArgs().WithBucket(farm.Bucket).WithObject(key).WithStreamData(bytes).WithObjectSize(3));
        }

        await using (var db = farm.CreateDbContext())
        {
            db.Jobs.AddRange(shared, alone, reusing);
            await db.SaveChangesAsync();
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            await using var db = farm.CreateDbContext();
            if (!await db.Jobs.AnyAsync(j => j.Id == shared.Id || j.Id == alone.Id))
            {
                break;
            }

            await Task.Delay(200, deadline.Token);
        }

        Assert.Single(await farm.ListObjectsAsync(shared.Images[0].ObjectKey!));
        Assert.Empty(await farm.ListObjectsAsync(alone.Images[0].ObjectKey!));
        var image = (await farm.Api.GetFromJsonAsync<List<JobImageView>>($"/api/jobs/{reusing.Id:D}/images"))![0];
        Assert.Equal([1, 2, 3], await farm.Api.GetByteArrayAsync(image.Url));
    }
}

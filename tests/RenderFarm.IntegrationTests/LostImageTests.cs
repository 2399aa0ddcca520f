using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Workers;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Workers;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>
/// Lost work found by what workers say they hold (their heartbeats), in seconds, with the 10-minute
/// <c>DispatchTimeout</c> of the reaper left as it ships, so the reaper cannot be what finds it.
/// </summary>
public sealed class LostImageTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Scheduling:LostImageInterval"] = "00:00:00.500",
        ["Dispatch:LostImageAfter"] = "00:00:03",
        ["Dispatch:WorkerExpiry"] = "00:00:05",
    };

    private static readonly TimeSpan WorkerExpiry = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task An_image_whose_message_is_nowhere_goes_back_to_pending_uncharged_and_renders_once()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(500));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine], Settings);

        // While it renders, the worker's heartbeats list the images it holds.
        var first = (await farm.SubmitAsync(new JobRequest { Model = model, Prompts = ["a harbour at dawn"], Count = 16, Seed = 100 })).Id;
        var seen = await WaitHeldAsync(farm, first);
        Assert.NotEmpty(seen);
        await farm.WaitForJobAsync(first, j => j.Status == "completed", TimeSpan.FromSeconds(60));

        // Three images the database has on the bus whose messages never got there (a send the broker lost).
        var now = DateTimeOffset.UtcNow;
        var job = StrandedJobs.Create(model, ["a lighthouse", "a fox"], 4, 500, now, now, 1, 4, 6);

        await using (var db = farm.CreateDbContext())
        {
            db.Jobs.Add(job);
            await db.SaveChangesAsync();
        }

        var done = await farm.WaitForJobAsync(job.Id, j => j.Status is "completed" or "failed" or "completed_with_errors", TimeSpan.FromSeconds(60));

        Assert.Equal(("completed", 8), (done.Status, done.Completed));
        Assert.Equal(Enumerable.Range(500, 8).Select(s => (long)s), engine.Rendered.Select(i => i.Seed).Where(s => s >= 500).Order());
        await using (var db = farm.CreateDbContext())
        {
            var rows = await db.Images.Where(i => i.JobId == job.Id).ToListAsync();
            Assert.All(rows, r => Assert.Equal((ImageStatus.Rendered, 1), (r.Status, r.Attempts)));
        }
    }

    [Fact]
    public async Task The_images_a_worker_held_when_it_went_silent_are_charged_so_a_poison_image_ends()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(20));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine], new Dictionary<string, string?>(Settings)
        {
            ["Dispatch:MaxAttempts"] = "2",
        });

        // Silence counts only once the coordinator has heard heartbeats for the worker expiry: it cannot vouch for
        // the broker before it started.
        var reception = farm.CoordinatorServices.GetRequiredService<HeartbeatReception>();
        for (var i = 0; i < 100 && !reception.HeardThroughout(DateTimeOffset.UtcNow - WorkerExpiry); i++)
        {
            await Task.Delay(100);
        }

        // Image 0 already cost one worker; a second worker that held it has gone silent. Image 1 renders.
        var now = DateTimeOffset.UtcNow;
        var job = StrandedJobs.Create(model, ["a poison pill"], 2, 7, now.AddMinutes(-1), now.AddMinutes(-1), 0);
        var poison = job.Images.Single(i => i.Index == 0);
        poison.Attempts = 1;
        await AddSilentWorkerAsync(farm, job, "silent-worker", poison.Id, now);

        var done = await farm.WaitForJobAsync(job.Id, j => j.Status is "completed" or "failed" or "completed_with_errors", TimeSpan.FromSeconds(60));

        Assert.Equal(("completed_with_errors", 1, 1), (done.Status, done.Completed, done.Failed));
        Assert.Equal([8L], engine.Rendered.Select(i => i.Seed));
        await using (var db = farm.CreateDbContext())
        {
            var row = await db.Images.SingleAsync(i => i.Id == poison.Id);
            Assert.Equal((ImageStatus.Failed, 2), (row.Status, row.Attempts));
            Assert.Contains("silent-worker was lost", row.Error, StringComparison.Ordinal);

            // Charged once: the silent worker's holding is emptied by the charge.
            Assert.Empty((await db.Workers.SingleAsync(w => w.Id == "silent-worker")).Holding);
        }

        // Failed for good, it was broadcast: a message of it still going round is skipped, while other work renders.
        RenderImage Message(Guid imageId, long seed) => new()
        {
            JobId = job.Id, ImageId = imageId, Index = 0, Prompt = "a poison pill", Seed = seed, Width = 64, Height = 64, Steps = 2,
            Guidance = 0, Model = model, Attempt = 3, ObjectKey = $"jobs/{job.Id:D}/stray-{seed}.png",
        };
        await farm.SendRenderAsync(Message(poison.Id, 7));
        await farm.SendRenderAsync(Message(Guid.NewGuid(), 99));
        for (var i = 0; i < 100 && !engine.Rendered.Any(r => r.Seed == 99); i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal([8L, 99L], engine.Rendered.Select(i => i.Seed).Order());
    }

    [Fact]
    public async Task A_worker_silent_while_the_coordinator_could_not_hear_heartbeats_is_not_charged()
    {
        var model = TestFarm.NewModelName();
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(20));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine], Settings);

        // The coordinator's heartbeat endpoint cut off from the broker, as MassTransit reports it during an outage.
        var reception = farm.CoordinatorServices.GetRequiredService<HeartbeatReception>();
        await reception.Faulted(new HeartbeatEndpointFaulted());

        // A worker that held image 0 has been silent for longer than the expiry: silent to a coordinator that could not hear.
        var now = DateTimeOffset.UtcNow;
        var job = StrandedJobs.Create(model, ["a harbour at dusk"], 2, 7, now.AddMinutes(-1), now.AddMinutes(-1), 0);
        var held = job.Images.Single(i => i.Index == 0);
        await AddSilentWorkerAsync(farm, job, "unheard-worker", held.Id, now);

        // Its image is found lost (no live worker holds it, all have room) and renders, with no attempt charged for the worker.
        var done = await farm.WaitForJobAsync(job.Id, j => j.Status is "completed" or "failed" or "completed_with_errors", TimeSpan.FromSeconds(60));

        Assert.Equal(("completed", 2), (done.Status, done.Completed));
        await using (var db = farm.CreateDbContext())
        {
            var row = await db.Images.SingleAsync(i => i.Id == held.Id);
            Assert.Equal((ImageStatus.Rendered, 1), (row.Status, row.Attempts));
            Assert.Equal([held.Id], (await db.Workers.SingleAsync(w => w.Id == "unheard-worker")).Holding);
        }
    }

    /// <summary>Adds the job, and a worker of its model last heard 40 s ago, whose last heartbeat listed <paramref name="held"/>.</summary>
    private static async Task AddSilentWorkerAsync(TestFarm farm, RenderJob job, string workerId, Guid held, DateTimeOffset now)
    {
        await using var db = farm.CreateDbContext();
        db.Jobs.Add(job);
        db.Workers.Add(new WorkerRecord
        {
            Id = workerId,
            Models = [job.Model],
            Holding = [held],
            HoldingCapacity = 12,
            HoldingReportedAt = now.AddSeconds(-40),
            StartedAt = now.AddMinutes(-5),
            LastSeen = now.AddSeconds(-40),
        });
        await db.SaveChangesAsync();
    }

    /// <summary>The job's image ids some worker row lists as held, once one does.</summary>
    private static async Task<List<Guid>> WaitHeldAsync(TestFarm farm, Guid jobId)
    {
        for (var i = 0; i < 100; i++)
        {
            await using var db = farm.CreateDbContext();
            var ids = await db.Images.Where(im => im.JobId == jobId).Select(im => im.Id).ToListAsync();
            var held = (await db.Workers.AsNoTracking().ToListAsync()).SelectMany(w => w.Holding).Intersect(ids).ToList();
            if (held.Count > 0)
            {
                return held;
            }

            await Task.Delay(100);
        }

        return [];
    }

    private sealed class HeartbeatEndpointFaulted : ReceiveEndpointFaulted
    {
        public Uri InputAddress { get; } = new("rabbitmq://localhost/worker-heartbeat");

        public IReceiveEndpoint ReceiveEndpoint => null!;

        public Exception? Exception { get; } = new InvalidOperationException("Broker unreachable");
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Webhooks;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Infrastructure.Persistence;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>
/// The finaliser's one statement for many jobs, on both databases it runs on: each job with nothing open finishes
/// once, with the status its images earned and its webhook delivery; the rest are left as they are.
/// </summary>
public sealed class JobFinalizerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rf-finalizer-").FullName;
    private readonly WebhookSignal _webhookSignal = new();

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Jobs_with_nothing_open_finish_once_with_the_status_their_images_earned(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider, _folder, "rf_fin");
        var rendered = await AddJobAsync(db, JobStatus.Running, ImageStatus.Rendered, ImageStatus.Rendered);
        var someFailed = await AddJobAsync(db, JobStatus.Running, ImageStatus.Rendered, ImageStatus.Failed, ImageStatus.Cancelled);
        var allFailed = await AddJobAsync(db, JobStatus.Queued, ImageStatus.Failed);
        var pending = await AddJobAsync(db, JobStatus.Running, ImageStatus.Rendered, ImageStatus.Pending);
        var dispatched = await AddJobAsync(db, JobStatus.Running, ImageStatus.Dispatched, ImageStatus.Failed);
        var paused = await AddJobAsync(db, JobStatus.Paused, ImageStatus.Rendered);
        var cancelled = await AddJobAsync(db, JobStatus.Cancelled, ImageStatus.Rendered, ImageStatus.Cancelled);
        Guid[] all = [rendered, someFailed, allFailed, pending, dispatched, paused, cancelled];

        var before = DateTimeOffset.UtcNow;
        var finished = await Finalizer(db).FinishAsync(all, CancellationToken.None);
        var after = DateTimeOffset.UtcNow;
        var again = await Finalizer(db).FinishAsync(all, CancellationToken.None);

        Assert.Equal((3, 0), (finished, again));
        var jobs = await db.Jobs.AsNoTracking().ToDictionaryAsync(j => j.Id);
        Assert.Equal(
            [JobStatus.Completed, JobStatus.CompletedWithErrors, JobStatus.Failed, JobStatus.Running, JobStatus.Running, JobStatus.Paused, JobStatus.Cancelled],
            all.Select(id => jobs[id].Status));
        // Stamped once, by the first call: SQLite's timestamps keep a fraction of a millisecond, PostgreSQL's a microsecond.
        Assert.All([rendered, someFailed, allFailed], id => Assert.InRange(jobs[id].FinishedAt!.Value, before.AddMilliseconds(-1), after));
        Assert.All([pending, dispatched, paused, cancelled], id => Assert.Null(jobs[id].FinishedAt));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_finished_job_with_a_webhook_gets_one_delivery_written_with_its_finish(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider, _folder, "rf_fin");
        var withHook = await AddJobAsync(db, JobStatus.Running, ImageStatus.Rendered, ImageStatus.Failed);
        var withHookOpen = await AddJobAsync(db, JobStatus.Running, ImageStatus.Pending);
        var withoutHook = await AddJobAsync(db, JobStatus.Running, ImageStatus.Rendered);
        await db.Jobs.Where(j => j.Id != withoutHook).ExecuteUpdateAsync(s => s.SetProperty(j => j.WebhookUrl, "https://hooks.example/done"));

        await Finalizer(db).FinishAsync([withHook, withHookOpen, withoutHook], CancellationToken.None);
        await Finalizer(db).FinishAsync([withHook, withHookOpen, withoutHook], CancellationToken.None);

        var delivery = Assert.Single(await db.WebhookDeliveries.AsNoTracking().ToListAsync());
        Assert.Equal((withHook, WebhookOutbox.JobFinished), (delivery.JobId, delivery.Event));
        Assert.Contains("\"status\":\"completed_with_errors\"", delivery.Payload, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _webhookSignal.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private JobFinalizer Finalizer(RenderFarmDbContext db) =>
        new(db, new WebhookOutbox(db, _webhookSignal, TimeProvider.System), TimeProvider.System, NullLogger<JobFinalizer>.Instance);

    private static async Task<Guid> AddJobAsync(RenderFarmDbContext db, JobStatus status, params ImageStatus[] images)
    {
        var job = new RenderJob
        {
            Id = Guid.NewGuid(), Status = status, Priority = JobPriority.Normal, Prompts = ["p"], CountPerPrompt = images.Length,
            Model = "m", Width = 64, Height = 64, Steps = 1, ImageCount = images.Length, CreatedAt = DateTimeOffset.UtcNow,
        };
        job.Images.AddRange(images.Select((s, i) => new JobImage { Id = Guid.NewGuid(), JobId = job.Id, Index = i, Prompt = "p", Seed = i, Status = s }));
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return job.Id;
    }
}

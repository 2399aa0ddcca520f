using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Dispatch;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Webhooks;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Infrastructure.Persistence;
using RenderFarm.Infrastructure.Storage;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>
/// The coordinator's set-based recording of workers' reports, on both databases it runs on (PostgreSQL's one
/// statement for many images, SQLite's statement per image): each image is recorded once, failures count attempts,
/// and objects nobody wants are removed.
/// </summary>
public sealed class RenderResultRecorderTests : IAsyncLifetime, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rf-recorder-").FullName;
    private readonly WebhookSignal _webhookSignal = new();

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_report_is_recorded_once_and_a_redelivered_one_changes_nothing(string provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var job = await AddJobAsync(db, images: 3);
        var recorder = Recorder(db, out var store);
        var reports = job.Images.Select(i => Rendered(job, i)).ToList();
        foreach (var report in reports)
        {
            await store.PutAsync(report.ObjectKey, new byte[] { 1, 2, 3 }, "image/png", CancellationToken.None);
        }

        var before = DateTimeOffset.UtcNow;
        var first = await recorder.RecordAsync(reports, [], CancellationToken.None);
        var after = DateTimeOffset.UtcNow;
        var again = await recorder.RecordAsync(reports, [], CancellationToken.None);

        Assert.Equal(job.Images.Select(i => i.Id).Order(), first.Rendered.Select(r => r.ImageId).Order());
        Assert.Empty(again.Rendered);
        db.ChangeTracker.Clear();
        var rows = await db.Images.Where(i => i.JobId == job.Id).OrderBy(i => i.Index).ToListAsync();
        Assert.All(rows, r => Assert.Equal(
            (ImageStatus.Rendered, 1, 3L, 42L, "w1", "cpu", "image/png", (string?)null),
            (r.Status, r.Attempts, r.Bytes, r.RenderMilliseconds, r.WorkerId, r.Device, r.ContentType, r.Error)));
        // The recorder's clock, as stored: SQLite's timestamps keep a fraction of a millisecond, PostgreSQL's a microsecond.
        Assert.All(rows, r => Assert.InRange(r.FinishedAt!.Value, before.AddMilliseconds(-1), after));
        Assert.Equal(reports.Select(r => r.ObjectKey), rows.Select(r => r.ObjectKey));
        Assert.Equal(JobStatus.Completed, (await db.Jobs.SingleAsync(j => j.Id == job.Id)).Status);

        // The duplicate's objects are the rows' own: they stay.
        Assert.All(reports, r => Assert.True(File.Exists(Path.Combine(_folder, r.ObjectKey))));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Failures_go_back_to_pending_until_the_last_attempt_which_is_announced_once(string provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var job = await AddJobAsync(db, images: 2);
        var recorder = Recorder(db, out _);
        var failing = job.Images[0];

        var announced = new List<ImageFailed>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var recorded = await recorder.RecordAsync([], [Failed(job, failing, attempt)], CancellationToken.None);
            announced.AddRange(recorded.Failed);
            db.ChangeTracker.Clear();
            var row = await db.Images.SingleAsync(i => i.Id == failing.Id);
            Assert.Equal((attempt, attempt < 3 ? ImageStatus.Pending : ImageStatus.Failed), (row.Attempts, row.Status));
        }

        var late = await recorder.RecordAsync([], [Failed(job, failing, 4)], CancellationToken.None);
        Assert.Empty(late.Failed);
        Assert.Equal((failing.Id, 3, "engine refused"), (Assert.Single(announced).ImageId, announced[0].Attempts, announced[0].Error));

        // The other image renders; the job then ends with one failure.
        await recorder.RecordAsync([Rendered(job, job.Images[1])], [], CancellationToken.None);
        db.ChangeTracker.Clear();
        Assert.Equal(JobStatus.CompletedWithErrors, (await db.Jobs.SingleAsync(j => j.Id == job.Id)).Status);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_result_for_a_cancelled_image_is_refused_and_its_object_removed(string provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var job = await AddJobAsync(db, images: 2);
        var recorder = Recorder(db, out var store);
        await db.Images.Where(i => i.Id == job.Images[0].Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImageStatus.Cancelled));
        var refused = Rendered(job, job.Images[0]);
        var kept = Rendered(job, job.Images[1]);
        await store.PutAsync(refused.ObjectKey, new byte[] { 1 }, "image/png", CancellationToken.None);
        await store.PutAsync(kept.ObjectKey, new byte[] { 1 }, "image/png", CancellationToken.None);

        var recorded = await recorder.RecordAsync([refused, kept], [], CancellationToken.None);

        Assert.Equal([kept.ImageId], recorded.Rendered.Select(r => r.ImageId));
        Assert.False(File.Exists(Path.Combine(_folder, refused.ObjectKey)));
        Assert.True(File.Exists(Path.Combine(_folder, kept.ObjectKey)));
        db.ChangeTracker.Clear();
        Assert.Equal(ImageStatus.Cancelled, (await db.Images.SingleAsync(i => i.Id == refused.ImageId)).Status);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public void Dispose() => _webhookSignal.Dispose();

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private RenderResultRecorder Recorder(RenderFarmDbContext db, out LocalFolderImageStore store)
    {
        store = new LocalFolderImageStore(Options.Create(new StorageOptions { Provider = StorageProvider.LocalFolder, LocalPath = Path.Combine(_folder, "") }));
        return new RenderResultRecorder(
            db, store, new JobFinalizer(db, new WebhookOutbox(db, _webhookSignal, TimeProvider.System), TimeProvider.System, NullLogger<JobFinalizer>.Instance),
            Options.Create(new DispatchOptions { MaxAttempts = 3 }), TimeProvider.System, NullLogger<RenderResultRecorder>.Instance);
    }

    private Task<RenderFarmDbContext> CreateDatabaseAsync(string provider) => TestDatabases.CreateAsync(provider, _folder, "rf_rec");

    private static async Task<RenderJob> AddJobAsync(RenderFarmDbContext db, int images)
    {
        var now = DateTimeOffset.UtcNow;
        var job = new RenderJob
        {
            Id = Guid.NewGuid(), Status = JobStatus.Running, Priority = JobPriority.Normal, Prompts = ["p"], CountPerPrompt = images,
            Model = "m", Width = 64, Height = 64, Steps = 1, ImageCount = images, CreatedAt = now,
        };
        job.Images.AddRange(Enumerable.Range(0, images).Select(i => new JobImage
        {
            Id = Guid.NewGuid(), JobId = job.Id, Index = i, Prompt = "p", Seed = i, Status = ImageStatus.Dispatched, DispatchedAt = now,
        }));
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        return job;
    }

    private static ImageRendered Rendered(RenderJob job, JobImage image) => new()
    {
        JobId = job.Id, ImageId = image.Id, Index = image.Index, ObjectKey = $"jobs/{job.Id:D}/{image.Index:D6}.png", ContentType = "image/png",
        Seed = image.Seed, Bytes = 3, RenderMilliseconds = 42, WorkerId = "w1", Device = "cpu",
    };

    private static ImageFailed Failed(RenderJob job, JobImage image, int attempt) => new()
    {
        JobId = job.Id, ImageId = image.Id, Index = image.Index, Error = "engine refused", Attempts = attempt, WorkerId = "w1",
    };
}

using Microsoft.EntityFrameworkCore;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Infrastructure.Persistence;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>The set-based insert of a job's images writes the rows EF would, on both databases the farm runs on.</summary>
public sealed class ImageRowWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rf-rows-").FullName;

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Its_rows_read_back_as_those_SaveChanges_writes_every_column_set_and_unset(string provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var now = DateTimeOffset.UtcNow;
        RenderJob NewJob() => new()
        {
            Id = Guid.NewGuid(), Status = JobStatus.Queued, Priority = JobPriority.Normal, Prompts = ["p"], CountPerPrompt = 2,
            Model = "m", Width = 64, Height = 64, Steps = 1, ImageCount = 2, CreatedAt = now,
        };
        JobImage[] ImagesOf(RenderJob job) =>
        [
            // Every column set, as a reused image arrives; and a pending one with its optional columns null.
            new()
            {
                Id = Guid.NewGuid(), JobId = job.Id, StudioId = null, RenderKey = new string('a', 64), Reused = true, Index = 0,
                Prompt = "a fox — 狐", Seed = long.MaxValue, Status = ImageStatus.Rendered, Attempts = 2, Error = "once refused",
                ObjectKey = "jobs/x/000000.png", ContentType = "image/png", Bytes = 5_000_000_000, RenderMilliseconds = 0, WorkerId = "w1",
                Device = "cuda:NVIDIA H100", DispatchedAt = now.AddSeconds(-1), FinishedAt = now,
            },
            new() { Id = Guid.NewGuid(), JobId = job.Id, Index = 1, Prompt = "", Seed = -1, Status = ImageStatus.Pending },
        ];

        // The same images twice: through SaveChanges, and through the writer.
        var tracked = NewJob();
        tracked.Images.AddRange(ImagesOf(tracked));
        db.Jobs.Add(tracked);
        await db.SaveChangesAsync();
        var written = NewJob();
        var images = ImagesOf(written);
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.Jobs.Add(written);
            await db.SaveChangesAsync();
            await ImageRowWriter.InsertAsync(db, images, CancellationToken.None);
            await transaction.CommitAsync();
        }

        db.ChangeTracker.Clear();
        async Task<List<JobImage>> RowsAsync(Guid jobId) => await db.Images.AsNoTracking().Where(i => i.JobId == jobId).OrderBy(i => i.Index).ToListAsync();
        var expected = await RowsAsync(tracked.Id);
        var rows = await RowsAsync(written.Id);
        Assert.Equal(images.Select(i => i.Id), rows.Select(r => r.Id));
        foreach (var property in db.Model.FindEntityType(typeof(JobImage))!.GetProperties().Where(p => p.Name is not (nameof(JobImage.Id) or nameof(JobImage.JobId))))
        {
            for (var k = 0; k < rows.Count; k++)
            {
                Assert.True(Equals(property.GetGetter().GetClrValue(expected[k]), property.GetGetter().GetClrValue(rows[k])), $"{property.Name} of image {k}");
            }
        }

        // The rows went through the table's constraints, not around them.
        await using var again = await db.Database.BeginTransactionAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => ImageRowWriter.InsertAsync(db, [images[1]], CancellationToken.None));
    }

    [Fact]
    public async Task Outside_a_transaction_it_refuses_to_write()
    {
        await using var db = await CreateDatabaseAsync("Sqlite");
        var image = new JobImage { Id = Guid.NewGuid(), JobId = Guid.NewGuid(), Status = ImageStatus.Pending };
        await Assert.ThrowsAsync<InvalidOperationException>(() => ImageRowWriter.InsertAsync(db, [image], CancellationToken.None));
        Assert.Equal(0, await db.Images.CountAsync());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<RenderFarmDbContext> CreateDatabaseAsync(string provider) => TestDatabases.CreateAsync(provider, _folder, "rf_rows");
}

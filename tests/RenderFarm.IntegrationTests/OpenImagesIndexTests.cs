using Microsoft.EntityFrameworkCore;
using Npgsql;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Infrastructure.Persistence;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>
/// The dispatcher's and the recorder's reads of a job's open images (its next pending ones in order, whether it has
/// any in flight) go through the partial index of open images even for a job newer than the planner's statistics,
/// which then take it for one row and used to pick the (job, index) index and filter every finished image of the job.
/// </summary>
public sealed class OpenImagesIndexTests
{
    private const string OpenImagesIndex = "IX_images_JobId_Status_Index";

    [Fact]
    public async Task A_big_new_job_is_read_through_the_open_images_index()
    {
        await using var db = new RenderFarmDbContext(new DbContextOptionsBuilder<RenderFarmDbContext>()
            .UseNpgsql(await TestServers.CreateDatabaseAsync($"rf_idx_{Guid.NewGuid():N}"[..20])).Options);
        await db.Database.MigrateAsync();
        await AddJobAsync(db, rendered: 3000, pending: 0);
        await db.Database.ExecuteSqlRawAsync("ANALYZE images");
        var job = await AddJobAsync(db, rendered: 2900, pending: 100);

        // The shapes of ImageDispatcher's lock and pending count and of RenderResultRecorder's finish check.
        string[] queries =
        [
            """SELECT * FROM images WHERE "JobId" = @job AND "Status" = 'Pending' ORDER BY "Index" LIMIT 32 FOR UPDATE SKIP LOCKED""",
            """SELECT count(*) FROM (SELECT 1 FROM images WHERE "JobId" = @job AND "Status" = 'Pending' ORDER BY "Index" LIMIT 32) AS t""",
            """SELECT count(*) FROM images WHERE "JobId" = @job AND "Status" = 'Dispatched'""",
            """SELECT EXISTS (SELECT 1 FROM images WHERE "JobId" = @job AND "Status" = 'Pending')""",
        ];
        foreach (var query in queries)
        {
            var plan = await ExplainAsync(db, query, job);
            Assert.True(plan.Contains(OpenImagesIndex, StringComparison.Ordinal), $"{query}\n{plan}");
        }
    }

    private static async Task<string> ExplainAsync(RenderFarmDbContext db, string query, Guid job)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        try
        {
            await using var command = new NpgsqlCommand($"EXPLAIN {query}", connection);
            command.Parameters.AddWithValue("job", job);
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }

            return string.Join('\n', lines);
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    private static async Task<Guid> AddJobAsync(RenderFarmDbContext db, int rendered, int pending)
    {
        var now = DateTimeOffset.UtcNow;
        var images = rendered + pending;
        var job = new RenderJob
        {
            Id = Guid.NewGuid(), Status = JobStatus.Running, Priority = JobPriority.Normal, Prompts = ["p"], CountPerPrompt = images,
            Model = "m", Width = 64, Height = 64, Steps = 1, ImageCount = images, CreatedAt = now,
        };
        job.Images.AddRange(Enumerable.Range(0, images).Select(i => new JobImage
        {
            Id = Guid.NewGuid(), JobId = job.Id, Index = i, Prompt = "p", Seed = i,
            Status = i < rendered ? ImageStatus.Rendered : ImageStatus.Pending,
            FinishedAt = i < rendered ? now : null,
        }));
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return job.Id;
    }
}

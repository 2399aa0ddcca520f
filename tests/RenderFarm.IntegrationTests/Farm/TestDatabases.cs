using Microsoft.EntityFrameworkCore;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.IntegrationTests.Farm;

/// <summary>A fresh farm database on either provider the farm runs on, with its schema: migrated on PostgreSQL, created on SQLite.</summary>
public static class TestDatabases
{
    public static TheoryData<string> Providers => ["Postgres", "Sqlite"];

    /// <param name="provider"><c>Postgres</c> (a new database on the test server, named from <paramref name="prefix"/>) or <c>Sqlite</c> (a file in <paramref name="folder"/>).</param>
    public static async Task<RenderFarmDbContext> CreateAsync(string provider, string folder, string prefix)
    {
        var builder = new DbContextOptionsBuilder<RenderFarmDbContext>();
        if (provider == "Postgres")
        {
            builder.UseNpgsql(await TestServers.CreateDatabaseAsync($"{prefix}_{Guid.NewGuid():N}"[..20]));
        }
        else
        {
            builder.UseSqlite($"Data Source={Path.Combine(folder, "farm.db")}").AddInterceptors(new SqliteConnectionSettings());
        }

        var db = new RenderFarmDbContext(builder.Options);
        if (provider == "Postgres")
        {
            await db.Database.MigrateAsync();
        }
        else
        {
            await db.Database.EnsureCreatedAsync();
        }

        return db;
    }
}

using Microsoft.EntityFrameworkCore;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>On PostgreSQL the migration bundle (a Kubernetes Job, a compose one-shot) migrates, not the coordinators.</summary>
public sealed class MigrationDefaultsTests
{
    [Fact]
    public async Task A_coordinator_leaves_an_unmigrated_database_alone_and_fails_its_start_unless_it_opts_in()
    {
        await using var farm = await TestFarm.StartAsync(TestFarm.NewModelName(), coordinators: 0, engines: []);

        // Unset, as in the shipped configuration: no migration, and no serving on a database without its schema.
        Assert.ThrowsAny<Exception>(() => farm.StartCoordinator(new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = null }));
        await using (var db = farm.CreateDbContext())
        {
            Assert.Empty(await db.Database.GetAppliedMigrationsAsync());
        }

        // The single-process opt-in.
        var api = farm.StartCoordinator(new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "true" });
        using var health = await api.GetAsync(new Uri("/health", UriKind.Relative));
        health.EnsureSuccessStatusCode();
        await using (var db = farm.CreateDbContext())
        {
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace RenderFarm.Infrastructure.Persistence;

/// <summary>
/// How <c>dotnet ef</c> (migrations, bundles) builds the context without starting a host. Migrations are written for
/// PostgreSQL; adding one contacts no server, so the placeholder connection string is enough there. A migration
/// bundle is given the real one with <c>--connection</c>, or reads <c>Database__ConnectionString</c> like the hosts.
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<RenderFarmDbContext>
{
    private const string Placeholder = "Host=localhost;Database=renderfarm";

    public RenderFarmDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("Database__ConnectionString");
        var options = new DbContextOptionsBuilder<RenderFarmDbContext>()
            .UseNpgsql(string.IsNullOrWhiteSpace(connectionString) ? Placeholder : connectionString)
            .Options;
        return new RenderFarmDbContext(options);
    }
}

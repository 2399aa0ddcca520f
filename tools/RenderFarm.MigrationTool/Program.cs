using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.EntityFrameworkCore.PostgreSQL.Design.Internal;
using RenderFarm.Infrastructure.Persistence;

// Usage: dotnet run --project tools/RenderFarm.MigrationTool -- <MigrationName>
// Adds a PostgreSQL migration for RenderFarmDbContext under src/RenderFarm.Infrastructure/Persistence/Migrations.
if (args is not [var name])
{
    Console.Error.WriteLine("usage: RenderFarm.MigrationTool <MigrationName>");
    return 2;
}

var root = Directory.GetCurrentDirectory();
var project = Path.Combine(root, "src", "RenderFarm.Infrastructure");
if (!Directory.Exists(project))
{
    Console.Error.WriteLine($"Run from the repository root: {project} does not exist.");
    return 2;
}

// No server is contacted: scaffolding compares the model with the last migration's snapshot.
var options = new DbContextOptionsBuilder<RenderFarmDbContext>().UseNpgsql("Host=localhost").Options;
await using var context = new RenderFarmDbContext(options);

var services = new ServiceCollection()
    .AddEntityFrameworkDesignTimeServices()
    .AddDbContextDesignTimeServices(context);
#pragma warning disable EF1001 // The provider's design-time services are what dotnet-ef itself loads.
new NpgsqlDesignTimeServices().ConfigureDesignTimeServices(services);
#pragma warning restore EF1001
await using var provider = services.BuildServiceProvider();

var scaffolder = provider.GetRequiredService<IMigrationsScaffolder>();
var migration = scaffolder.ScaffoldMigration(name, rootNamespace: "RenderFarm.Infrastructure", subNamespace: "Persistence.Migrations", language: "C#");
var files = scaffolder.Save(project, migration, Path.Combine(project, "Persistence", "Migrations"));
Console.WriteLine($"Wrote {files.MigrationFile}, {files.MetadataFile} and {files.SnapshotFile}");
return 0;

using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Infrastructure.Persistence;

/// <summary>Section <c>Database</c>: PostgreSQL on a farm, SQLite in the embedded mode.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Postgres;

    [Required(ErrorMessage = "Database:ConnectionString is required.")]
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Apply migrations (PostgreSQL) or create the schema (SQLite) when the host starts. Unset means off for
    /// PostgreSQL, where the migration bundle runs once before the coordinators (a Kubernetes Job, a compose one-shot
    /// service) rather than every replica racing to migrate, and on for SQLite, whose local database nobody else creates.
    /// </summary>
    public bool? MigrateOnStartup { get; set; }

    /// <summary><see cref="MigrateOnStartup"/> with the provider's default applied.</summary>
    public bool ShouldMigrateOnStartup => MigrateOnStartup ?? Provider == DatabaseProvider.Sqlite;
}

using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Infrastructure.Persistence;

/// <summary>Section <c>Database</c>: PostgreSQL on a farm, SQLite in the embedded mode.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Postgres;

    [Required(ErrorMessage = "Database:ConnectionString is required.")]
    public string ConnectionString { get; set; } = "";

    /// <summary>Apply migrations (PostgreSQL) or create the schema (SQLite) when the host starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}

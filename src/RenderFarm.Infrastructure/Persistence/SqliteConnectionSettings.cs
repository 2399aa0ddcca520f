using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace RenderFarm.Infrastructure.Persistence;

/// <summary>
/// Makes the embedded database's writers wait for each other inside SQLite instead of failing: with no busy timeout
/// Microsoft.Data.Sqlite sees SQLITE_BUSY at once and sleeps 150 ms before retrying, which a farm's dispatcher and
/// result recorder, writing many times a second, hit constantly. WAL lets readers go on beside the one writer, and
/// synchronous=NORMAL drops the fsync per commit that a local, disposable database does not need.
/// </summary>
public sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }
}

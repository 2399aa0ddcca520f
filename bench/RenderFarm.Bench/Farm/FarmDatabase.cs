using Npgsql;

namespace RenderFarm.Bench.Farm;

/// <summary>
/// Reads the timestamps the farm records (jobs."CreatedAt"/"FinishedAt", images."DispatchedAt"/"FinishedAt") straight
/// from PostgreSQL: the database is the farm's record of truth, whatever process writes it.
/// </summary>
public static class FarmDatabase
{
    public static async Task<IReadOnlyList<JobTimeline>> ReadTimelinesAsync(string connectionString, CancellationToken cancellationToken)
    {
        const string Sql = """
            SELECT j."Id", j."CreatedAt", j."FinishedAt", i."DispatchedAt", i."FinishedAt"
            FROM jobs j JOIN images i ON i."JobId" = j."Id"
            ORDER BY j."CreatedAt", j."Id"
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);

        var jobs = new List<(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, List<ImageTimeline> Images)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetGuid(0);
            if (jobs.Count == 0 || jobs[^1].Id != id)
            {
                jobs.Add((id, reader.GetFieldValue<DateTimeOffset>(1), Nullable(reader, 2), []));
            }

            jobs[^1].Images.Add(new ImageTimeline(Nullable(reader, 3), Nullable(reader, 4)));
        }

        return [.. jobs.Select(j => new JobTimeline(j.Id, j.CreatedAt, j.FinishedAt, j.Images))];
    }

    private static DateTimeOffset? Nullable(NpgsqlDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : reader.GetFieldValue<DateTimeOffset>(column);
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using RenderFarm.Core.Images;

namespace RenderFarm.Infrastructure.Persistence;

/// <summary>
/// Inserts a job's image rows in one set-based operation inside the context's open transaction: a binary COPY on
/// PostgreSQL, one prepared statement on SQLite. SaveChanges would track every row and send one INSERT each (a
/// 100,000-image job is 100,000 statements). Columns and value conversions are read from the EF model, so the rows are
/// those SaveChanges would write.
/// </summary>
public static class ImageRowWriter
{
    public static async Task InsertAsync(RenderFarmDbContext db, IReadOnlyCollection<JobImage> images, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            // Half a job's rows must never be visible (nor survive a failure).
            throw new InvalidOperationException("Image rows are inserted inside the job's transaction.");
        }

        var entity = db.Model.FindEntityType(typeof(JobImage))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties()
            .Select(p => new Column(p, p.GetColumnName(table)!, p.GetRelationalTypeMapping()))
            .ToList();
        var sqlHelper = db.GetService<ISqlGenerationHelper>();
        var tableName = sqlHelper.DelimitIdentifier(table.Name, table.Schema);
        var columnList = string.Join(", ", columns.Select(c => sqlHelper.DelimitIdentifier(c.Name)));

        var connection = db.Database.GetDbConnection();
        if (connection is NpgsqlConnection npgsql)
        {
            await using var import = await npgsql.BeginBinaryImportAsync($"COPY {tableName} ({columnList}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var image in images)
            {
                await import.StartRowAsync(cancellationToken);
                foreach (var column in columns)
                {
                    if (column.ProviderValue(image) is { } value)
                    {
                        await import.WriteAsync(value, cancellationToken);
                    }
                    else
                    {
                        await import.WriteNullAsync(cancellationToken);
                    }
                }
            }

            await import.CompleteAsync(cancellationToken);
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction.GetDbTransaction();
        command.CommandText = $"INSERT INTO {tableName} ({columnList}) VALUES ({string.Join(", ", columns.Select((_, k) => $"@p{k}"))})";
        foreach (var image in images)
        {
            command.Parameters.Clear();
            for (var k = 0; k < columns.Count; k++)
            {
                // The type mapping makes the parameter as EF would: its converter, and the provider's type (SQLite
                // stores a GUID as text, not as the blob a bare Guid parameter would be).
                var column = columns[k];
                command.Parameters.Add(column.Mapping.CreateParameter(command, $"@p{k}", column.Value(image), column.Property.IsNullable));
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping)
    {
        public object? Value(JobImage image) => Property.GetGetter().GetClrValue(image);

        public object? ProviderValue(JobImage image) => Value(image) is { } value ? Mapping.Converter?.ConvertToProvider(value) ?? value : null;
    }
}

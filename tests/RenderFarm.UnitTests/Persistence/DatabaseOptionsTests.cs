using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.UnitTests.Persistence;

public sealed class DatabaseOptionsTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres, null, false)]
    [InlineData(DatabaseProvider.Postgres, true, true)]
    [InlineData(DatabaseProvider.Sqlite, null, true)]
    [InlineData(DatabaseProvider.Sqlite, false, false)]
    public void Only_sqlite_creates_its_schema_at_start_unless_told_otherwise(DatabaseProvider provider, bool? configured, bool expected)
    {
        var options = new DatabaseOptions { Provider = provider, MigrateOnStartup = configured };

        Assert.Equal(expected, options.ShouldMigrateOnStartup);
    }
}

namespace RenderFarm.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Postgres,
    Sqlite,
}

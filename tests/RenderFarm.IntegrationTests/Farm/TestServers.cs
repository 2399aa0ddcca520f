using Npgsql;

namespace RenderFarm.IntegrationTests.Farm;

/// <summary>The real servers scripts/test.sh starts on loopback, found through its environment variables.</summary>
public static class TestServers
{
    public static string Postgres => Require("RENDERFARM_TEST_POSTGRES");

    public static string RabbitMqUri => Require("RENDERFARM_TEST_RABBITMQ");

    public static string S3Endpoint => Require("RENDERFARM_TEST_S3_ENDPOINT");

    public static string S3AccessKey => Require("RENDERFARM_TEST_S3_ACCESS_KEY");

    public static string S3SecretKey => Require("RENDERFARM_TEST_S3_SECRET_KEY");

    /// <summary>A fresh database on the test server, so tests never see each other's jobs.</summary>
    public static async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(Postgres))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ConnectionString;
    }

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set: run the integration tests through scripts/test.sh, which starts PostgreSQL, RabbitMQ and S3 on loopback.");
}

using Npgsql;

namespace RenderFarm.Bench.Farm;

/// <summary>
/// PostgreSQL, RabbitMQ and s3rver as scripts/test-servers.sh runs them for the tests: found through the
/// <c>.test-servers/env</c> file it writes, started by it when they are not running (and then stopped afterwards).
/// </summary>
public sealed class BenchServers : IAsyncDisposable
{
    private readonly string _root;
    private readonly bool _stopOnDispose;
    private readonly Dictionary<string, string> _env;

    private BenchServers(string root, Dictionary<string, string> env, bool stopOnDispose)
    {
        _root = root;
        _env = env;
        _stopOnDispose = stopOnDispose;
    }

    /// <summary>The admin connection string; runs create their own databases beside it.</summary>
    public string Postgres => Require("RENDERFARM_TEST_POSTGRES");

    public string RabbitMqUri => Require("RENDERFARM_TEST_RABBITMQ");

    public string S3Endpoint => Require("RENDERFARM_TEST_S3_ENDPOINT");

    public string S3AccessKey => Require("RENDERFARM_TEST_S3_ACCESS_KEY");

    public string S3SecretKey => Require("RENDERFARM_TEST_S3_SECRET_KEY");

    /// <summary>The postmaster: every backend, walwriter, checkpointer etc. of the cluster descends from it.</summary>
    public int PostgresPid => int.Parse(File.ReadLines(Path.Combine(Require("RENDERFARM_TEST_PG_DIR"), "data", "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The rabbitmq-server script; beam.smp and its helpers descend from it.</summary>
    public int RabbitMqPid => int.Parse(Require("RENDERFARM_TEST_RABBITMQ_PID"), System.Globalization.CultureInfo.InvariantCulture);

    public int S3Pid => int.Parse(Require("RENDERFARM_TEST_S3_PID"), System.Globalization.CultureInfo.InvariantCulture);

    /// <param name="keep">Leave servers this call started running afterwards (a later run then reuses them).</param>
    public static async Task<BenchServers> StartAsync(string root, bool keep, CancellationToken cancellationToken)
    {
        if (ReadEnv(root) is { } existing && await RespondsAsync(existing, cancellationToken))
        {
            Console.Error.WriteLine("bench: using the servers in .test-servers/env");
            return new BenchServers(root, existing, stopOnDispose: false);
        }

        Console.Error.WriteLine("bench: starting servers with scripts/test-servers.sh");
        try
        {
            await RunScriptAsync(root, cancellationToken, "start");
            return new BenchServers(root, ReadEnv(root) ?? throw new InvalidOperationException("scripts/test-servers.sh start wrote no .test-servers/env."), stopOnDispose: !keep);
        }
        catch
        {
            await RunScriptAsync(root, CancellationToken.None, "stop");
            throw;
        }
    }

    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await ExecuteAsync($"CREATE DATABASE \"{name}\"", cancellationToken);
        return new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ConnectionString;
    }

    /// <summary>Stops one server (<c>postgres</c>, <c>rabbitmq</c> or <c>s3</c>), keeping its data and port, as an outage.</summary>
    public Task DownAsync(string server, CancellationToken cancellationToken) => RunScriptAsync(_root, cancellationToken, "down", server);

    /// <summary>Starts a server stopped by <see cref="DownAsync"/> again, and waits until it takes connections.</summary>
    public Task UpAsync(string server, CancellationToken cancellationToken) => RunScriptAsync(_root, cancellationToken, "up", server);

    public Task DropDatabaseAsync(string name) => ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (_stopOnDispose)
        {
            Console.Error.WriteLine("bench: stopping the servers it started");
            await RunScriptAsync(_root, CancellationToken.None, "stop");
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        // Unpooled: a server restarted by the fault suite would leave a pooled connection dead.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Postgres) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private string Require(string name) =>
        _env.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($".test-servers/env has no {name}.");

    private static async Task<bool> RespondsAsync(Dictionary<string, string> env, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(env["RENDERFARM_TEST_POSTGRES"]);
            await connection.OpenAsync(cancellationToken);
            return ProcessCpu.IsAlive(int.Parse(env["RENDERFARM_TEST_RABBITMQ_PID"], System.Globalization.CultureInfo.InvariantCulture))
                && ProcessCpu.IsAlive(int.Parse(env["RENDERFARM_TEST_S3_PID"], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is NpgsqlException or KeyNotFoundException or FormatException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The script writes <c>export NAME='value'</c> lines (it refuses values with quotes).</summary>
    private static Dictionary<string, string>? ReadEnv(string root)
    {
        var file = Path.Combine(root, ".test-servers", "env");
        if (!File.Exists(file))
        {
            return null;
        }

        var env = new Dictionary<string, string>();
        foreach (var line in File.ReadLines(file))
        {
            var assignment = line.StartsWith("export ", StringComparison.Ordinal) ? line[7..] : line;
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                env[assignment[..equals]] = assignment[(equals + 1)..].Trim('\'');
            }
        }

        return env;
    }

    private static Task RunScriptAsync(string root, CancellationToken cancellationToken, params string[] arguments) =>
        RepositoryScript.RunAsync(root, "test-servers.sh", cancellationToken, arguments);
}

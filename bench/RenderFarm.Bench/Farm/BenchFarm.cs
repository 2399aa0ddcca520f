using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace RenderFarm.Bench.Farm;

/// <summary>
/// One farm on the test servers, for one run: a fresh database, bucket and model (so queue) name, the real
/// coordinator as a process, and <c>farm-worker</c> processes (both as <see cref="FarmSpec.Hosts"/> says). Everything it started stops on dispose.
/// </summary>
public sealed class BenchFarm : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private readonly BenchServers _servers;
    private readonly string _database;
    private readonly string _runDirectory;
    private readonly bool _keepLogs;
    private readonly List<ChildProcess> _processes = [];
    private readonly List<(ChildProcess Process, string Report)> _workers = [];
    private ChildProcess? _coordinator;
    private string[] _coordinatorArguments = [];
    private string _coordinatorDirectory = "";
    private bool _succeeded;

    private BenchFarm(BenchServers servers, string database, string connectionString, string runDirectory, FarmSpec spec, FarmSettings settings)
    {
        _servers = servers;
        _database = database;
        ConnectionString = connectionString;
        _runDirectory = runDirectory;
        _keepLogs = spec.KeepLogs;
        Spec = spec;
        Settings = settings;
    }

    public FarmSpec Spec { get; }

    public FarmSettings Settings { get; }

    public string ConnectionString { get; }

    public FarmApi Api { get; private set; } = null!;

    /// <summary>Coordinator process started → its API answers.</summary>
    public TimeSpan CoordinatorReady { get; private set; }

    /// <summary>Worker processes started → every one registered.</summary>
    public TimeSpan WorkersReady { get; private set; }

    /// <summary>Whether a farm process has died (waits give up at once then).</summary>
    public bool Failed() => _processes.Any(p => p.HasExited);

    /// <summary>One engine call's time at full batches: the unit the small-job scenario counts in.</summary>
    public TimeSpan BatchTime => Spec.Engine.TimeFor(Settings.WorkerBatchSize);

    public static async Task<BenchFarm> StartAsync(BenchServers servers, FarmSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(spec);
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var database = $"rf_bench_{suffix}";
        var runDirectory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "renderfarm-bench", suffix)).FullName;
        var connectionString = await servers.CreateDatabaseAsync(database, cancellationToken);
        var settings = new FarmSettings(servers, connectionString, $"rf-bench-{suffix}", $"bench-{suffix}", spec.ImageSize, spec.Overrides);
        var farm = new BenchFarm(servers, database, connectionString, runDirectory, spec, settings);
        try
        {
            await farm.StartProcessesAsync(cancellationToken);
            return farm;
        }
        catch
        {
            await farm.DisposeAsync();
            throw;
        }
    }

    public CpuReading ReadCpu() => new(
        ProcessCpu.TreeTime([_coordinator!.Pid]),
        ProcessCpu.TreeTime(_workers.Select(w => w.Process.Pid)),
        ProcessCpu.TreeTime([_servers.PostgresPid]),
        ProcessCpu.TreeTime([_servers.RabbitMqPid]),
        ProcessCpu.TreeTime([_servers.S3Pid]));

    /// <summary>What the workers' engines have done so far, once they are idle (their reports lag by up to an interval); null when a report is missing.</summary>
    public async Task<EngineUsage?> ReadEngineUsageAsync()
    {
        await Task.Delay(2 * FarmWorkerCommand.ReportInterval);
        return await SumReportsAsync();
    }

    /// <summary>Stops the workers gracefully and adds up what their engines did; null when a worker wrote no report.</summary>
    public async Task<EngineUsage?> StopWorkersAsync()
    {
        await Task.WhenAll(_workers.Select(w => w.Process.StopAsync()));
        return await SumReportsAsync();
    }

    private async Task<EngineUsage?> SumReportsAsync()
    {
        var total = EngineUsage.None;
        foreach (var (_, report) in _workers)
        {
            if (!File.Exists(report))
            {
                return null;
            }

            total = total.Plus(JsonSerializer.Deserialize<EngineUsage>(await File.ReadAllTextAsync(report))!);
        }

        return total;
    }

    /// <summary>Starts one more <c>farm-worker</c> process (a restart under the same id, or a different engine beside the others).</summary>
    public void StartWorker(string id, EngineSpec engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var report = Path.Combine(_runDirectory, $"{id}.json");
        var worker = Start(
            id,
            [Spec.Hosts.WorkerAssembly, "farm-worker", "--engine", engine.ToString(), "--model", Settings.Model, "--id", id, "--report", report],
            Settings.Worker(id),
            _runDirectory);
        _workers.Add((worker, report));
    }

    /// <summary><c>kill -9</c> of a worker process: no shutdown, no goodbye heartbeat, its connections simply close.</summary>
    public async Task KillWorkerAsync(string id)
    {
        var worker = _workers.Single(w => w.Process.Name == id);
        _workers.Remove(worker);
        await KillAsync(worker.Process);
    }

    /// <summary><c>kill -9</c> of the coordinator process.</summary>
    public Task KillCoordinatorAsync() => KillAsync(_coordinator!);

    /// <summary>Starts a coordinator again on the same address and settings, as Kubernetes restarts a killed pod.</summary>
    public void StartCoordinator() =>
        _coordinator = Start("coordinator", _coordinatorArguments, Settings.Coordinator(), _coordinatorDirectory);

    private async Task KillAsync(ChildProcess process)
    {
        // Out of the list first: a killed process is the fault injected, not a farm process that died.
        _processes.Remove(process);
        await process.KillAsync();
    }

    /// <summary>Marks the run as good: its logs are then removed (unless kept on request).</summary>
    public void Succeeded() => _succeeded = true;

    public async ValueTask DisposeAsync()
    {
        // Workers first: they are the coordinator's consumers, and stopping it first would leave them retrying.
        await Task.WhenAll(_workers.Select(w => w.Process.DisposeAsync().AsTask()));
        foreach (var process in _processes.Except(_workers.Select(w => w.Process)))
        {
            await process.DisposeAsync();
        }

        Api?.Dispose();
        await _servers.DropDatabaseAsync(_database);
        if (_succeeded && !_keepLogs)
        {
            Directory.Delete(_runDirectory, recursive: true);
        }
        else
        {
            Console.Error.WriteLine($"bench: logs of this run are in {_runDirectory}");
        }
    }

    private async Task StartProcessesAsync(CancellationToken cancellationToken)
    {
        var port = FreePort();
        var coordinatorDirectory = Spec.Hosts.CoordinatorFolder;
        var coordinatorDll = Path.Combine(coordinatorDirectory, "RenderFarm.Coordinator.dll");
        if (!File.Exists(coordinatorDll))
        {
            throw new FileNotFoundException($"No coordinator at {coordinatorDll}: build the bench (it builds the coordinator too) with the same configuration.");
        }

        // Its own folder as working directory: its appsettings.json (log levels) applies, as in its container.
        _coordinatorArguments = [coordinatorDll, "--urls", $"http://127.0.0.1:{port}"];
        _coordinatorDirectory = coordinatorDirectory;
        var starting = Stopwatch.StartNew();
        StartCoordinator();
        Api = new FarmApi(new Uri($"http://127.0.0.1:{port}"), Settings.AdminKey);
        await WaitAsync(_coordinator, Api.WaitAliveAsync(Failed, StartTimeout, cancellationToken));
        CoordinatorReady = starting.Elapsed;

        // Started after the coordinator has migrated the fresh database.
        starting.Restart();
        for (var i = 1; i <= Spec.Workers; i++)
        {
            StartWorker($"w{i}", Spec.Engine);
        }

        await WaitAsync(null, Api.WaitWorkersAsync(Spec.Workers, Failed, StartTimeout, cancellationToken));
        WorkersReady = starting.Elapsed;
    }

    private ChildProcess Start(string name, string[] arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var process = ChildProcess.Start(name, "dotnet", arguments, environment, workingDirectory, Path.Combine(_runDirectory, $"{name}.log"));
        _processes.Add(process);
        return process;
    }

    /// <summary>Awaits a start-up wait; if it fails, shows why from the dead process's log.</summary>
    private async Task WaitAsync(ChildProcess? process, Task wait)
    {
        try
        {
            await wait;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            foreach (var dead in _processes.Where(p => p.HasExited).Append(process).OfType<ChildProcess>().Distinct())
            {
                Console.Error.WriteLine($"bench: last lines of {dead.Name}'s log:{Environment.NewLine}{dead.Tail()}");
            }

            throw;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

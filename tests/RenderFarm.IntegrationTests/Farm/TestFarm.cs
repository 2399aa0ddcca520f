using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Minio;
using Minio.DataModel.Args;
using Npgsql;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Auth;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Studios;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Workers;
using RenderFarm.Infrastructure.Messaging;
using RenderFarm.Infrastructure.Persistence;
using RenderFarm.Infrastructure.Telemetry;
using RenderFarm.Worker;
using RenderFarm.Worker.Rendering;

namespace RenderFarm.IntegrationTests.Farm;

/// <summary>
/// A farm on the real test servers: coordinator hosts on Kestrel and worker hosts, all sharing a fresh database,
/// a fresh bucket and a model (hence queue) name of their own.
/// </summary>
public sealed class TestFarm : IAsyncDisposable
{
    private readonly List<CoordinatorFactory> _coordinators = [];
    private readonly List<IHost> _workers = [];
    private readonly List<Process> _processes = [];
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _coordinatorServices;

    private TestFarm(string model, Dictionary<string, string?> settings, Action<IServiceCollection>? coordinatorServices)
    {
        _coordinatorServices = coordinatorServices;
        Model = model;
        _settings = settings;
        S3 = new MinioClient()
            .WithEndpoint(TestServers.S3Endpoint)
            .WithCredentials(TestServers.S3AccessKey, TestServers.S3SecretKey)
            .WithRegion("us-east-1")
            .Build();
    }

    public string Model { get; }

    public string Bucket => _settings["Storage:Bucket"]!;

    public IMinioClient S3 { get; }

    public List<HttpClient> Coordinators { get; } = [];

    /// <summary>The first coordinator as the farm's bootstrap admin.</summary>
    public HttpClient Api => Coordinators[0];

    /// <summary>The bootstrap admin key every coordinator of this farm was configured with.</summary>
    public string AdminKey => _settings["Auth:BootstrapAdminKey"]!;

    /// <summary>The farm's PostgreSQL database, for what reaches it without a coordinator (the CLI's key bootstrap).</summary>
    public string ConnectionString => _settings["Database:ConnectionString"]!;

    public static string NewModelName() => $"test-{Guid.NewGuid().ToString("N")[..8]}";

    /// <param name="coordinatorServices">Added to every coordinator's services.</param>
    /// <param name="configureModel">Whether the coordinators name <paramref name="model"/> in <c>Models:Available</c> (64², 2 steps); without, the catalog is what workers advertise.</param>
    public static async Task<TestFarm> StartAsync(
        string model,
        int coordinators,
        IReadOnlyList<IImageGenerator> engines,
        IReadOnlyDictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? coordinatorServices = null,
        bool configureModel = true)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = await TestServers.CreateDatabaseAsync($"rf_{suffix}"),
            // Each test gets a fresh database and no migration bundle runs before it: the coordinators migrate it
            // themselves (the opt-in; off by default for PostgreSQL).
            ["Database:MigrateOnStartup"] = "true",
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:RabbitMqUri"] = TestServers.RabbitMqUri,
            ["Storage:Provider"] = "S3",
            ["Storage:Endpoint"] = TestServers.S3Endpoint,
            ["Storage:AccessKey"] = TestServers.S3AccessKey,
            ["Storage:SecretKey"] = TestServers.S3SecretKey,
            ["Storage:Bucket"] = $"rf-{suffix}",
            ["Auth:BootstrapAdminKey"] = ApiKeyFormat.Generate(),
            // Tests submit hundreds of jobs a minute with one key; the limit's own test turns it on.
            ["Quotas:SubmissionsPerMinute"] = "0",
            ["Dispatch:PollInterval"] = "00:00:00.200",
            ["Worker:BatchSize"] = "4",
            ["Worker:BatchTimeLimit"] = "00:00:00.050",
            ["Worker:HeartbeatInterval"] = "00:00:01",
            // Several workers share this machine: none serves /metrics unless a test gives it a port.
            ["Worker:MetricsPort"] = "0",
        };
        if (configureModel)
        {
            settings["Models:Available:0:Name"] = model;
            settings["Models:Available:0:DefaultWidth"] = "64";
            settings["Models:Available:0:DefaultHeight"] = "64";
            settings["Models:Available:0:DefaultSteps"] = "2";
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var farm = new TestFarm(model, settings, coordinatorServices);
        try
        {
            for (var i = 0; i < coordinators; i++)
            {
                farm.StartCoordinator();
            }

            for (var i = 0; i < engines.Count; i++)
            {
                await farm.StartWorkerAsync($"worker-{i}", engines[i]);
            }
        }
        catch
        {
            await farm.DisposeAsync();
            throw;
        }

        return farm;
    }

    public RenderFarmDbContext CreateDbContext() =>
        new(new DbContextOptionsBuilder<RenderFarmDbContext>().UseNpgsql(_settings["Database:ConnectionString"]).Options);

    public async Task<JobAccepted> SubmitAsync(JobRequest request)
    {
        using var response = await Api.PostAsJsonAsync("/api/jobs", request);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JobAccepted>())!;
    }

    public async Task<JobView> GetJobAsync(Guid jobId) => (await Api.GetFromJsonAsync<JobView>($"/api/jobs/{jobId:D}"))!;

    /// <summary>Polls the job over HTTP until <paramref name="until"/> holds; fails the test after <paramref name="timeout"/>.</summary>
    public async Task<JobView> WaitForJobAsync(Guid jobId, Func<JobView, bool> until, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        JobView job;
        while (!until(job = await GetJobAsync(jobId)))
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"Job {jobId} did not get there in {timeout}: {job}");
            }

            await Task.Delay(100);
        }

        return job;
    }

    public async Task<List<string>> ListObjectsAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var item in S3.ListObjectsEnumAsync(new ListObjectsArgs().WithBucket(Bucket).WithPrefix(prefix).WithRecursive(true)))
        {
            keys.Add(item.Key);
        }

        return keys;
    }

    /// <summary>
    /// Starts a worker in a process of its own, so that a test can kill it as an operator's <c>kill -9</c> would: the
    /// worker's own composition with the benchmark's fake engine (<c>RenderFarm.Bench farm-worker</c>, built with the
    /// solution), given the bus and its own section only. Returns once the coordinator lists it.
    /// </summary>
    public async Task<Process> StartWorkerProcessAsync(string id, string engine)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var bench = Path.Combine(root, "bench", "RenderFarm.Bench", "bin", here.Parent.Name, here.Name, "RenderFarm.Bench.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { bench, "farm-worker", "--engine", engine, "--model", Model, "--id", id, "--report", Path.Combine(Path.GetTempPath(), $"rf-{id}-{Guid.NewGuid():N}.json") })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in _settings.Where(s => s.Key.StartsWith("Bus:", StringComparison.Ordinal) || s.Key.StartsWith("Worker:", StringComparison.Ordinal)))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        Assert.True(File.Exists(bench), $"{bench} is missing: the test project builds RenderFarm.Bench before itself");
        var process = Process.Start(start)!;
        _processes.Add(process);
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!(await Api.GetFromJsonAsync<List<WorkerRecord>>("/api/workers"))!.Any(w => w.Id == id))
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                Assert.Fail($"Worker process {id} exited with {process.ExitCode}:\n{string.Join('\n', output.TakeLast(40))}");
            }

            await Task.Delay(200, deadline.Token);
        }

        return process;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        foreach (var worker in _workers)
        {
            await worker.StopAsync();
            worker.Dispose();
        }

        foreach (var client in Coordinators)
        {
            client.Dispose();
        }

        foreach (var coordinator in _coordinators)
        {
            await coordinator.DisposeAsync();
        }

        // Every farm has a database of its own: its idle pooled connections would otherwise linger for minutes and,
        // summed over the suite, run the test server out of connections.
        using (var connection = new NpgsqlConnection(_settings["Database:ConnectionString"]))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        S3.Dispose();
    }

    /// <summary>Starts one more coordinator on the farm's servers, with <paramref name="overrides"/> over the farm's settings.</summary>
    public HttpClient StartCoordinator(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(_settings);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var factory = new CoordinatorFactory(settings, _coordinatorServices);
        _coordinators.Add(factory);
        factory.UseKestrel(0);
        factory.StartServer();
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        Coordinators.Add(client);
        return client;
    }

    /// <summary>The first coordinator's services (its endpoints, for tests that walk every route).</summary>
    public IServiceProvider CoordinatorServices => _coordinators[0].Services;

    /// <summary>A client of the first coordinator that calls with no key at all.</summary>
    public HttpClient CreateAnonymousClient() => _coordinators[0].CreateClient();

    /// <summary>Creates <paramref name="studio"/> (if new) and a key with <paramref name="role"/> in it.</summary>
    public async Task<(HttpClient Client, ApiKeyCreated Key, Guid StudioId)> CreateStudioClientAsync(string studio, string role)
    {
        var studios = (await Api.GetFromJsonAsync<List<StudioView>>("/api/studios"))!;
        var studioId = studios.SingleOrDefault(s => s.Name == studio)?.Id;
        if (studioId is null)
        {
            using var created = await Api.PostAsJsonAsync("/api/studios", new StudioRequest(studio));
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
            studioId = (await created.Content.ReadFromJsonAsync<StudioView>())!.Id;
        }

        using var response = await Api.PostAsJsonAsync("/api/keys", new ApiKeyRequest($"{studio}-{role}", role, studioId));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var key = (await response.Content.ReadFromJsonAsync<ApiKeyCreated>())!;
        var client = _coordinators[0].CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", key.Key);
        return (client, key, studioId.Value);
    }

    /// <summary>
    /// The worker's own composition (see its Program.cs), with the test's engine, given the bus and its own section
    /// only: a worker holds no database or storage credentials, and every farm test proves it needs none. Returns once
    /// the coordinator lists it, so the catalog holds what it advertises.
    /// </summary>
    /// <param name="worker">More of the worker's own settings, such as <c>Worker:Labels:0</c>.</param>
    public async Task StartWorkerAsync(string id, IImageGenerator engine, IReadOnlyDictionary<string, string?>? worker = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(_settings.Where(s => s.Key.StartsWith("Bus:", StringComparison.Ordinal) || s.Key.StartsWith("Worker:", StringComparison.Ordinal)));
        builder.Configuration.AddInMemoryCollection([new("Worker:Id", id)]);
        builder.Configuration.AddInMemoryCollection(worker ?? new Dictionary<string, string?>());
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddWorkerServices(builder.Configuration);
        builder.Services.AddWorkerHttpEndpoint();
        builder.Services.AddRenderFarmTelemetry(builder.Configuration, "renderfarm-worker");
        builder.Services.AddSingleton(engine);
        builder.Services.AddHostedService<ModelPreloader>();
        builder.Services.AddRenderFarmBus(builder.Configuration, new WorkerBusParticipant());

        var host = builder.Build();
        _workers.Add(host);
        await host.StartAsync();

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!(await Api.GetFromJsonAsync<List<WorkerRecord>>("/api/workers", deadline.Token))!.Any(w => w.Id == id))
        {
            await Task.Delay(100, deadline.Token);
        }
    }

    /// <summary>Puts a render message on the model's queue as the dispatcher would (through a worker's bus): a stray or redelivered message.</summary>
    public async Task SendRenderAsync(RenderImage message)
    {
        var endpoint = await _workers[0].Services.GetRequiredService<IBus>().GetSendEndpoint(RenderQueues.AddressFor(message.Model));
        await endpoint.Send(message);
    }
}

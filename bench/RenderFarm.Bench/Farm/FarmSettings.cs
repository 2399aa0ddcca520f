using System.Globalization;
using RenderFarm.Coordinator.Auth;
using RenderFarm.Worker;

namespace RenderFarm.Bench.Farm;

/// <summary>
/// Every setting the bench gives the farm's processes, as environment variables (<c>Section__Key</c>), which both
/// hosts read over their appsettings.json. Anything not set here keeps the shipped default.
/// </summary>
public sealed class FarmSettings(BenchServers servers, string connectionString, string bucket, string model, int imageSize, IReadOnlyDictionary<string, string> overrides)
{
    public string Model => model;

    /// <summary>The run's admin key: the coordinator stores it at start, the bench submits with it.</summary>
    public string AdminKey { get; } = ApiKeyFormat.Generate();

    /// <summary>Images per engine call: what the workers run with (an override, or the worker's own default).</summary>
    public int WorkerBatchSize =>
        overrides.TryGetValue("Worker__BatchSize", out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : new WorkerOptions().BatchSize;

    public IReadOnlyDictionary<string, string> Coordinator() => Merge(
        Database,
        Bus,
        Storage,
        new()
        {
            ["Models__Available__0__Name"] = model,
            ["Models__Available__0__DefaultWidth"] = Size,
            ["Models__Available__0__DefaultHeight"] = Size,
            ["Models__Available__0__MinSize"] = Size,
            ["Auth__BootstrapAdminKey"] = AdminKey,
            // The bench submits thousands of small jobs a minute with one key.
            ["Quotas__SubmissionsPerMinute"] = "0",
        });

    /// <summary>A worker gets the bus and its own section, nothing else: it uploads to the addresses its messages carry.</summary>
    public IReadOnlyDictionary<string, string> Worker(string id) => Merge(Bus, new() { ["Worker__Id"] = id });

    private string Size => imageSize.ToString(CultureInfo.InvariantCulture);

    private Dictionary<string, string> Database => new()
    {
        ["Database__Provider"] = "Postgres",
        ["Database__ConnectionString"] = connectionString,
        // One coordinator on a fresh database: it may migrate it itself.
        ["Database__MigrateOnStartup"] = "true",
    };

    private Dictionary<string, string> Bus => new()
    {
        ["Bus__Transport"] = "RabbitMq",
        ["Bus__RabbitMqUri"] = servers.RabbitMqUri,
    };

    private Dictionary<string, string> Storage => new()
    {
        ["Storage__Provider"] = "S3",
        ["Storage__Endpoint"] = servers.S3Endpoint,
        ["Storage__AccessKey"] = servers.S3AccessKey,
        ["Storage__SecretKey"] = servers.S3SecretKey,
        ["Storage__Bucket"] = bucket,
    };

    /// <summary>The sections, then the user's <c>--set</c> overrides over them.</summary>
    private Dictionary<string, string> Merge(params Dictionary<string, string>[] sections)
    {
        var merged = new Dictionary<string, string>();
        foreach (var (key, value) in sections.SelectMany(s => s).Concat(overrides))
        {
            merged[key] = value;
        }

        return merged;
    }
}

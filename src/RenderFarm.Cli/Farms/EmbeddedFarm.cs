using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RenderFarm.Coordinator;
using RenderFarm.Inference;
using RenderFarm.Infrastructure.Messaging;
using RenderFarm.Worker;

namespace RenderFarm.Cli.Farms;

/// <summary>
/// The whole farm in one process: coordinator and worker over MassTransit's in-memory transport, SQLite and a
/// local folder. The services are the farm's own; only the configuration differs from a deployment.
/// </summary>
public static class EmbeddedFarm
{
    private const string CatalogEntryFile = "renderfarm.json";

    /// <param name="modelsDirectory">Folder whose sub-folders are models in the diffusers ONNX layout, each named by its folder.</param>
    /// <param name="dataDirectory">Where the database and images live; a temporary folder, removed afterwards, when null.</param>
    /// <param name="configureServices">Lets tests swap services, such as the engine.</param>
    public static async Task<IFarmClient> StartAsync(
        string modelsDirectory,
        string? dataDirectory,
        Action<IServiceCollection>? configureServices,
        CancellationToken cancellationToken)
    {
        var temporary = dataDirectory is null ? Directory.CreateTempSubdirectory("renderfarm-").FullName : null;
        var data = Path.GetFullPath(dataDirectory ?? temporary!);
        Directory.CreateDirectory(data);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = data });
        builder.Configuration.AddInMemoryCollection(Settings(modelsDirectory, data));
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning);

        builder.Services.AddCoordinatorServices(builder.Configuration);
        builder.Services.AddWorkerServices(builder.Configuration);
        builder.Services.AddOnnxInference();
        configureServices?.Invoke(builder.Services);
        builder.Services.AddRenderFarmBus(builder.Configuration, new CoordinatorBusParticipant(), new WorkerBusParticipant());

        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new EmbeddedFarmClient(host, temporary);
    }

    private static Dictionary<string, string?> Settings(string modelsDirectory, string data)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(data, "renderfarm.db")}",
            // The one process is the whole farm, so it creates its own schema.
            ["Database:MigrateOnStartup"] = "true",
            ["Bus:Transport"] = "InMemory",
            ["Storage:Provider"] = "LocalFolder",
            ["Storage:LocalPath"] = Path.Combine(data, "images"),
            ["Worker:Id"] = $"embedded-{Environment.ProcessId}",
            ["Dispatch:PollInterval"] = "00:00:00.100",
            // The dispatcher sizes the queue from the engine time a heartbeat reports: report it early in a short run.
            ["Worker:HeartbeatInterval"] = "00:00:01",
            // The CPU engine shares this process's cores with the farm's own work (see InferenceOptions.AllowSpinning).
            ["Inference:AllowSpinning"] = "false",
        };

        var models = Directory.Exists(modelsDirectory)
            ? Directory.GetDirectories(modelsDirectory).Where(d => File.Exists(Path.Combine(d, "model_index.json"))).Order().ToArray()
            : [];
        for (var i = 0; i < models.Length; i++)
        {
            var name = Path.GetFileName(models[i]);
            settings[$"Models:Available:{i}:Name"] = name;
            settings[$"Inference:Models:{i}:Name"] = name;
            settings[$"Inference:Models:{i}:Path"] = models[i];

            foreach (var (key, value) in ModelFamilyDefaults.For(models[i]))
            {
                settings[$"Models:Available:{i}:{key}"] = value;
            }

            // A diffusers folder says nothing about the size, steps and guidance its model is meant for; the folder's
            // renderfarm.json may, with the keys of a Models:Available entry.
            var catalogEntry = Path.Combine(models[i], CatalogEntryFile);
            if (File.Exists(catalogEntry))
            {
                foreach (var (key, value) in new ConfigurationBuilder().AddJsonFile(catalogEntry).Build().AsEnumerable())
                {
                    settings[$"Models:Available:{i}:{key}"] = value;
                }
            }
        }

        return settings;
    }
}

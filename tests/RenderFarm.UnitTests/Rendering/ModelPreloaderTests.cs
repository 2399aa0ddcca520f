using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Imaging;
using RenderFarm.Inference;
using RenderFarm.Infrastructure.Messaging;
using RenderFarm.Worker;
using RenderFarm.Worker.Health;
using RenderFarm.Worker.Rendering;

namespace RenderFarm.UnitTests.Rendering;

public sealed class ModelPreloaderTests
{
    [Fact]
    public async Task A_worker_without_any_model_stops_at_start_naming_the_setting()
    {
        var preloader = new ModelPreloader(new FixedModels([]), new RecordingEncoder(), new WorkerReadiness(), Options.Create(new InferenceOptions()), Options.Create(new WorkerOptions()), NullLogger<ModelPreloader>.Instance);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => preloader.StartAsync(CancellationToken.None));

        Assert.Contains("Inference:Models", error.Message, StringComparison.Ordinal);
        Assert.Contains("no model folder is configured", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_turns_healthy_only_once_the_models_are_loaded()
    {
        var readiness = new WorkerReadiness();
        var check = new ModelsLoadedHealthCheck(readiness);
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration(ModelsLoadedHealthCheck.Name, check, null, null) };
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(context)).Status);

        var encoder = new RecordingEncoder(() => Assert.Equal(HealthStatus.Unhealthy, check.CheckHealthAsync(context).Result.Status));
        var engine = new FixedModels(["sd-turbo"]);
        await new ModelPreloader(engine, encoder, readiness, Options.Create(new InferenceOptions()), Options.Create(new WorkerOptions { BatchSize = 6 }), NullLogger<ModelPreloader>.Instance)
            .StartAsync(CancellationToken.None);

        var result = await check.CheckHealthAsync(context);
        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Contains("sd-turbo", result.Description, StringComparison.Ordinal);
        // The encoder's first image (its native library loading) is paid before readiness, in every format.
        Assert.Equal(Enum.GetValues<ImageFormat>(), encoder.Formats);
        // Warmed up at the worker's batch size, the shapes its batches will have.
        Assert.Equal([("sd-turbo", 6)], engine.Preloaded);
    }

    /// <summary>The worker's own composition with the real ONNX engine, pointed at folders that are not there (a volume not mounted).</summary>
    [Fact]
    public async Task A_real_worker_whose_model_folders_do_not_exist_fails_at_start_naming_each()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"renderfarm-missing-{Guid.NewGuid():N}");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "InMemory",
            ["Worker:MetricsPort"] = "0",
            ["Inference:ModelsRoot"] = Path.Combine(missing, "models"),
            ["Inference:Models:0:Name"] = "sd-turbo",
            ["Inference:Models:0:Path"] = Path.Combine(missing, "sd-turbo"),
        });
        builder.Services.AddWorkerServices(builder.Configuration);
        builder.Services.AddWorkerHttpEndpoint();
        builder.Services.AddOnnxInference();
        builder.Services.AddHostedService<ModelPreloader>();
        builder.Services.AddRenderFarmBus(builder.Configuration, new WorkerBusParticipant());
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains($"Inference:ModelsRoot '{Path.Combine(missing, "models")}' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Inference:Models:0 ('sd-turbo') path '{Path.Combine(missing, "sd-turbo")}' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_that_exists_but_holds_no_model_is_told_apart_from_one_that_does_not_exist()
    {
        var root = Directory.CreateTempSubdirectory("renderfarm-empty-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "not-a-model"));

            var diagnosis = ModelPreloader.Diagnose(new InferenceOptions { ModelsRoot = root });

            Assert.Equal($"Inference:ModelsRoot '{root}' holds no model folder (a folder with model_index.json)", diagnosis);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed class FixedModels(IReadOnlyCollection<string> models) : IImageGenerator
    {
        public IReadOnlyCollection<string> Models => models;

        public string Device => "cpu";

        public List<(string Model, int WarmUpImages)> Preloaded { get; } = [];

        public void Preload(string model, int warmUpImages = 1) => Preloaded.Add((model, warmUpImages));

        public Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    /// <summary>Records the formats it is asked for, running <paramref name="onEncode"/> (an assertion) each time.</summary>
    private sealed class RecordingEncoder(Action? onEncode = null) : IImageEncoder
    {
        public List<ImageFormat> Formats { get; } = [];

        public byte[] Encode(GeneratedImage image, ImageFormat format, GenerationParameters parameters)
        {
            onEncode?.Invoke();
            Formats.Add(format);
            return [];
        }
    }
}

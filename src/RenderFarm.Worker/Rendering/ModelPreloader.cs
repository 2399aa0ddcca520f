using Microsoft.Extensions.Options;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Imaging;
using RenderFarm.Inference;
using RenderFarm.Inference.Models;
using RenderFarm.Worker.Health;

namespace RenderFarm.Worker.Rendering;

/// <summary>
/// Loads every model before the worker takes work (it is registered before the bus, which starts after it), so the
/// first batch does not pay for loading and a worker whose models cannot be loaded stops at start with the reason
/// instead of idling on no queue; then encodes a tiny image in every format, since the encoder's first image loads
/// its native library (25 ms on the embedded farm's first batch, measured). Until it is done the worker's
/// <c>/health</c> answers 503.
/// </summary>
public sealed class ModelPreloader(
    IImageGenerator generator, IImageEncoder encoder, WorkerReadiness readiness, IOptions<InferenceOptions> inference, IOptions<WorkerOptions> worker, ILogger<ModelPreloader> logger) : IHostedLifecycleService
{
    private Task? _loading;

    /// <summary>
    /// Starts loading before any service starts, so that the loading overlaps the start of the services registered
    /// before this one (the embedded farm's database schema above all: its command starts 0.25 s sooner, measured).
    /// </summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _loading = LoadAsync(cancellationToken);
        return Task.CompletedTask;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await (_loading ??= LoadAsync(cancellationToken));
        WarmUpEncoder();
        readiness.ModelsLoaded([.. generator.Models]);
        logger.LogInformation("Models ready on {Device}: {Models}", generator.Device, string.Join(", ", generator.Models));
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private Task LoadAsync(CancellationToken cancellationToken)
    {
        if (generator.Models.Count == 0)
        {
            throw new InvalidOperationException(
                $"This worker has no model to render: {Diagnose(inference.Value)}. Put model folders in the diffusers ONNX layout (with model_index.json) under Inference:ModelsRoot, or set Inference:Models:N:Name and Inference:Models:N:Path.");
        }

        return Task.Run(
            () =>
            {
                foreach (var model in generator.Models)
                {
                    generator.Preload(model, worker.Value.BatchSize);
                }
            },
            cancellationToken);
    }

    private void WarmUpEncoder()
    {
        var image = new GeneratedImage(8, 8, new byte[8 * 8 * 3]);
        var parameters = new GenerationParameters("warm-up", "", 1, "warm-up", 0, 0, image.Width, image.Height, "warm-up");
        foreach (var format in Enum.GetValues<ImageFormat>())
        {
            try
            {
                encoder.Encode(image, format, parameters);
            }
            catch (Exception e)
            {
                // An encoder that cannot encode here fails the first image of that format as it would have anyway.
                logger.LogWarning(e, "Warming up the {Format} encoder failed", format);
            }
        }
    }

    /// <summary>What is wrong with each configured place, so an operator sees which mount or path to fix.</summary>
    public static string Diagnose(InferenceOptions options)
    {
        var findings = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.ModelsRoot))
        {
            var folders = Directory.Exists(options.ModelsRoot) ? Directory.GetDirectories(options.ModelsRoot).Count(ModelFolderReader.IsModelFolder) : -1;
            findings.Add(folders switch
            {
                < 0 => $"Inference:ModelsRoot '{options.ModelsRoot}' does not exist",
                0 => $"Inference:ModelsRoot '{options.ModelsRoot}' holds no model folder (a folder with model_index.json)",
                _ => $"none of the {folders} model folders in Inference:ModelsRoot '{options.ModelsRoot}' could be read (the warnings above say why)",
            });
        }

        for (var i = 0; i < options.Models.Count; i++)
        {
            var model = options.Models[i];
            findings.Add(!Directory.Exists(model.Path)
                ? $"Inference:Models:{i} ('{model.Name}') path '{model.Path}' does not exist"
                : ModelFolderReader.IsModelFolder(model.Path)
                    ? $"Inference:Models:{i} ('{model.Name}') at '{model.Path}' could not be read (the warnings above say why)"
                    : $"Inference:Models:{i} ('{model.Name}') path '{model.Path}' has no model_index.json");
        }

        return findings.Count == 0 ? "no model folder is configured" : string.Join("; ", findings);
    }
}

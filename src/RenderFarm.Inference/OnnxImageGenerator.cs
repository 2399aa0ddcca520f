using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using RenderFarm.Contracts;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Telemetry;
using RenderFarm.Inference.Models;
using RenderFarm.Inference.Pipelines;
using RenderFarm.Inference.Sessions;

namespace RenderFarm.Inference;

/// <summary>
/// The ONNX Runtime engine: one pipeline per model folder (configured one by one or found under the models root),
/// loaded on first use and kept (sessions are expensive to create and safe to share), rendering each batch on the
/// thread pool.
/// </summary>
public sealed class OnnxImageGenerator : IImageGenerator, IDisposable
{
    private readonly InferenceOptions _options;
    private readonly ILogger<OnnxImageGenerator> _logger;
    private readonly ConcurrentDictionary<string, Lazy<IDiffusionPipeline>> _pipelines = new(StringComparer.Ordinal);
    private readonly IdentityCache _identities = new();
    private readonly Lock _scanLock = new();
    private readonly SessionOptions _sessionOptions;
    private volatile IReadOnlyDictionary<string, (InferenceModelOptions Options, ModelFolder Folder)> _models =
        new Dictionary<string, (InferenceModelOptions, ModelFolder)>();

    public OnnxImageGenerator(IOptions<InferenceOptions> options, ILogger<OnnxImageGenerator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger ?? NullLogger<OnnxImageGenerator>.Instance;
        _sessionOptions = SessionOptionsFactory.Create(_options);
        Device = SessionOptionsFactory.DeviceName(_options);
        Rescan();
    }

    public IReadOnlyCollection<string> Models => [.. _models.Keys.Order(StringComparer.Ordinal)];

    public IReadOnlyList<ModelAdvertisement> Catalog =>
        [.. _models.Values.OrderBy(m => m.Folder.Name, StringComparer.Ordinal)
            .Select(m => m.Folder.Advertisement with { Loaded = _pipelines.TryGetValue(m.Folder.Name, out var p) && p.IsValueCreated })];

    public string Device { get; }

    /// <summary>
    /// Reads the configured folders and the models root again. A model whose folder is absent or unreadable is not
    /// offered (a worker subscribes to a queue per offered model); asking for it anyway fails with the reason.
    /// </summary>
    public bool Rescan()
    {
        lock (_scanLock)
        {
            var found = new Dictionary<string, (InferenceModelOptions, ModelFolder)>(StringComparer.Ordinal);
            if (!string.IsNullOrEmpty(_options.ModelsRoot))
            {
                foreach (var folder in ModelFolderReader.Scan(_options.ModelsRoot, Skipped, _identities))
                {
                    found[folder.Name] = (new InferenceModelOptions { Name = folder.Name, Path = folder.Path }, folder);
                }
            }

            foreach (var model in _options.Models)
            {
                if (!ModelFolderReader.IsModelFolder(model.Path))
                {
                    _logger.LogWarning("Model {Model} is configured but {Path} has no model_index.json; it is not offered", model.Name, model.Path);
                    continue;
                }

                try
                {
                    found[model.Name] = (model, ModelFolderReader.Read(model.Path, model.Name, model.Scheduler, _identities));
                }
                catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or UnauthorizedAccessException or System.Text.Json.JsonException)
                {
                    Skipped(model.Path, e);
                }
            }

            var before = _models;
            var changed = !before.Keys.Order(StringComparer.Ordinal).SequenceEqual(found.Keys.Order(StringComparer.Ordinal))
                || found.Any(f => before[f.Key].Folder.Advertisement.Identity != f.Value.Item2.Advertisement.Identity);
            if (changed)
            {
                foreach (var (name, _) in before.Where(b => !found.TryGetValue(b.Key, out var now) || now.Item2.Advertisement.Identity != b.Value.Folder.Advertisement.Identity))
                {
                    // The folder went away or now holds other files: the next batch loads afresh (a batch in flight keeps its pipeline).
                    _pipelines.TryRemove(name, out _);
                }

                _models = found;
            }

            return changed;
        }
    }

    public Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken) =>
        GenerateAsync(batch, progress, null, cancellationToken);

    internal Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, GenerationTimings? timings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // Loading (seconds for a real model) happens on the pool too, never on the caller's thread.
        return Task.Run(() => Pipeline(batch.Model).Generate(batch, progress, timings, cancellationToken), cancellationToken);
    }

    /// <summary>Loads a model now rather than on its first batch (worker start-up, benchmarks).</summary>
    public void Preload(string model) => Pipeline(model);

    private void Skipped(string folder, Exception e) =>
        _logger.LogWarning("Model folder {Path} is not offered: {Reason}", folder, e.Message);

    private IDiffusionPipeline Pipeline(string name)
    {
        if (!_models.TryGetValue(name, out var model))
        {
            // Perhaps its folder arrived since the last scan; if it is configured and still unreadable, loading it names the fault.
            Rescan();
            if (!_models.TryGetValue(name, out model))
            {
                var configured = _options.Models.Find(m => m.Name == name)
                    ?? throw new ArgumentException($"Model '{name}' is not configured here (available: {string.Join(", ", _models.Keys)}).", nameof(name));
                ModelLoader.Load(configured, _sessionOptions).Dispose();
                throw new InvalidDataException($"Model '{name}' loads but its folder {configured.Path} could not be read; see the worker's log.");
            }
        }

        var lazy = _pipelines.GetOrAdd(name, _ => new Lazy<IDiffusionPipeline>(() => Load(model.Options), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // Lazy caches the exception; drop it so a fixed folder loads on the next request.
            _pipelines.TryRemove(new KeyValuePair<string, Lazy<IDiffusionPipeline>>(name, lazy));
            throw;
        }
    }

    private IDiffusionPipeline Load(InferenceModelOptions model)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            var pipeline = ModelLoader.Load(model, _sessionOptions);
            var elapsed = Stopwatch.GetElapsedTime(start);
            FarmMetrics.ModelLoadSeconds.Record(elapsed.TotalSeconds, new("model", model.Name), new("device", Device));
            _logger.LogInformation("Loaded model {Model} from {Path} on {Device} in {Elapsed} ms", model.Name, model.Path, Device, (long)elapsed.TotalMilliseconds);
            return pipeline;
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Loading model {Model} from {Path} failed", model.Name, model.Path);
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var lazy in _pipelines.Values)
        {
            if (lazy.IsValueCreated)
            {
                lazy.Value.Dispose();
            }
        }

        _sessionOptions.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
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
/// thread pool. With <see cref="InferenceOptions.ModelMemoryBudgetBytes"/> set, loading a model beyond the budget
/// first unloads the least recently used models no batch is rendering with.
/// </summary>
public sealed class OnnxImageGenerator : IImageGenerator, IDisposable
{
    private readonly InferenceOptions _options;
    private readonly ConcurrentDictionary<string, bool> _warmedUp = new(StringComparer.Ordinal);
    private readonly ILogger<OnnxImageGenerator> _logger;
    private readonly Dictionary<string, LoadedModel> _loaded = new(StringComparer.Ordinal);
    private readonly Lock _cacheLock = new();
    private long _uses;
    private readonly IdentityCache _identities = new();
    private readonly Lock _scanLock = new();
    private readonly ComponentSessionOptions _sessionOptions;
    private volatile IReadOnlyDictionary<string, (InferenceModelOptions Options, ModelFolder Folder)> _models =
        new Dictionary<string, (InferenceModelOptions, ModelFolder)>();

    public OnnxImageGenerator(IOptions<InferenceOptions> options, ILogger<OnnxImageGenerator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger ?? NullLogger<OnnxImageGenerator>.Instance;
        _sessionOptions = new ComponentSessionOptions(_options);
        Device = SessionOptionsFactory.DeviceName(_options);
        Rescan();
    }

    public IReadOnlyCollection<string> Models => [.. _models.Keys.Order(StringComparer.Ordinal)];

    public IReadOnlyList<ModelAdvertisement> Catalog =>
        [.. _models.Values.OrderBy(m => m.Folder.Name, StringComparer.Ordinal)
            .Select(m => m.Folder.Advertisement with { Loaded = IsLoaded(m.Folder.Name) })];

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
                    Retire(name);
                }

                _models = found;
            }

            return changed;
        }
    }

    public Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken) =>
        RunAsync(batch, progress, null, null, cancellationToken);

    public Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, IPreemption? preemption, CancellationToken cancellationToken) =>
        RunAsync(batch, progress, preemption, null, cancellationToken);

    internal Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, GenerationTimings? timings, CancellationToken cancellationToken) =>
        RunAsync(batch, progress, null, timings, cancellationToken);

    private Task<GenerationResult> RunAsync(
        GenerationBatch batch, IProgress<GenerationProgress>? progress, IPreemption? preemption, GenerationTimings? timings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // Loading (seconds for a real model) happens on the pool too, never on the caller's thread.
        return Task.Run(() => WithPipeline(batch.Model, pipeline => pipeline.Generate(batch, progress, preemption, timings, cancellationToken)), cancellationToken);
    }

    /// <summary>
    /// Loads a model now rather than on its first batch (worker start-up, benchmarks) and, with
    /// <see cref="InferenceOptions.WarmUp"/>, renders a batch of <paramref name="warmUpImages"/> images of one step at its
    /// default size, so that the first job does not pay for the sessions' first run either (arenas, kernel selection,
    /// code compiled on first use). A worker warms up at its batch size because some of that is per shape: cuDNN's
    /// exhaustive convolution search (<see cref="InferenceOptions.CudnnConvAlgoSearch"/>) runs once for every input
    /// shape, and a batch of four is another shape than one image (on the CPU of this machine the difference was within
    /// the noise).
    /// </summary>
    public void Preload(string model, int warmUpImages = 1)
    {
        WithPipeline(model, pipeline => pipeline);
        if (!_options.WarmUp || !_models.TryGetValue(model, out var found))
        {
            return;
        }

        var defaults = found.Folder.Advertisement;
        var warmUp = new GenerationBatch(model, defaults.DefaultWidth, defaults.DefaultHeight, 1, defaults.DefaultGuidance, [.. Enumerable.Range(0, Math.Max(1, warmUpImages)).Select(i => new GenerationItem("warm-up", "", i))]);
        try
        {
            WithPipeline(model, pipeline => pipeline.Generate(warmUp, null, null, null, CancellationToken.None));
            _warmedUp[model] = true;
        }
        catch (Exception e)
        {
            // A model that cannot render here fails its first batch as it would have without the warm-up.
            _logger.LogWarning(e, "Warming up {Model} failed", model);
        }
    }

    /// <summary>Whether a model's warm-up render succeeded.</summary>
    internal bool IsWarmedUp(string model) => _warmedUp.ContainsKey(model);

    /// <summary>Whether a model's pipeline is loaded now.</summary>
    public bool IsLoaded(string model)
    {
        lock (_cacheLock)
        {
            return _loaded.TryGetValue(model, out var entry) && entry.Pipeline.IsValueCreated;
        }
    }

    private void Skipped(string folder, Exception e) =>
        _logger.LogWarning("Model folder {Path} is not offered: {Reason}", folder, e.Message);

    /// <summary>Runs <paramref name="use"/> with a model's pipeline, loading it first if needed; it is not unloaded meanwhile.</summary>
    private T WithPipeline<T>(string name, Func<IDiffusionPipeline, T> use)
    {
        var entry = Acquire(name, Resolve(name));
        try
        {
            IDiffusionPipeline pipeline;
            try
            {
                pipeline = entry.Pipeline.Value;
            }
            catch
            {
                // Lazy caches the exception; drop it so a fixed folder loads on the next request.
                lock (_cacheLock)
                {
                    if (_loaded.GetValueOrDefault(name) == entry)
                    {
                        _loaded.Remove(name);
                    }
                }

                throw;
            }

            return use(pipeline);
        }
        finally
        {
            Release(entry);
        }
    }

    private InferenceModelOptions Resolve(string name)
    {
        if (!_models.TryGetValue(name, out var model))
        {
            // Perhaps its folder arrived since the last scan; if it is configured and still unreadable, loading it names the fault.
            Rescan();
            if (!_models.TryGetValue(name, out model))
            {
                var configured = _options.Models.Find(m => m.Name == name)
                    ?? throw new ArgumentException($"Model '{name}' is not configured here (available: {string.Join(", ", _models.Keys)}).", nameof(name));
                ModelLoader.Load(configured, _sessionOptions, _options.IoBinding).Dispose();
                throw new InvalidDataException($"Model '{name}' loads but its folder {configured.Path} could not be read; see the worker's log.");
            }
        }

        return model.Options;
    }

    private LoadedModel Acquire(string name, InferenceModelOptions model)
    {
        lock (_cacheLock)
        {
            if (!_loaded.TryGetValue(name, out var entry))
            {
                _loaded[name] = entry = new LoadedModel(name, ModelLoader.EstimateBytes(model.Path), loading => Load(model, loading));
            }

            entry.Users++;
            entry.LastUsed = ++_uses;
            return entry;
        }
    }

    private void Release(LoadedModel entry)
    {
        lock (_cacheLock)
        {
            if (--entry.Users > 0 || !entry.Retired)
            {
                return;
            }
        }

        DisposeLoaded(entry);
    }

    /// <summary>Takes a model out of the cache; disposed now if no batch uses it, else by the last one.</summary>
    private void Retire(string name)
    {
        lock (_cacheLock)
        {
            if (!_loaded.Remove(name, out var entry))
            {
                return;
            }

            if (entry.Users > 0)
            {
                entry.Retired = true;
                return;
            }

            DisposeLoaded(entry);
        }
    }

    private static void DisposeLoaded(LoadedModel entry)
    {
        if (entry.Pipeline.IsValueCreated)
        {
            entry.Pipeline.Value.Dispose();
        }
    }

    /// <summary>
    /// Unloads the least recently used models that no batch uses until <paramref name="loading"/> fits the budget. A
    /// model that does not fit even then loads anyway (the batch asking for it must render), with a warning.
    /// </summary>
    private void MakeRoom(LoadedModel loading)
    {
        var budget = _options.ModelMemoryBudgetBytes;
        if (budget <= 0)
        {
            return;
        }

        var unloaded = new List<LoadedModel>();
        long total;
        lock (_cacheLock)
        {
            total = _loaded.Values.Where(e => e != loading).Sum(e => e.Bytes) + loading.Bytes;
            foreach (var candidate in _loaded.Values.Where(e => e != loading && e.Users == 0 && e.Pipeline.IsValueCreated).OrderBy(e => e.LastUsed).ToList())
            {
                if (total <= budget)
                {
                    break;
                }

                _loaded.Remove(candidate.Name);
                total -= candidate.Bytes;
                unloaded.Add(candidate);
            }
        }

        foreach (var entry in unloaded)
        {
            DisposeLoaded(entry);
            _logger.LogInformation(
                "Unloaded model {Model} ({Bytes} bytes, least recently used) to load {Loading} within the {Budget}-byte budget", entry.Name, entry.Bytes, loading.Name, budget);
        }

        if (total > budget)
        {
            _logger.LogWarning(
                "Loading model {Model} takes the engine to {Total} bytes, over its {Budget}-byte budget: the other models are in use", loading.Name, total, budget);
        }
    }

    private IDiffusionPipeline Load(InferenceModelOptions model, LoadedModel loading)
    {
        MakeRoom(loading);
        var start = Stopwatch.GetTimestamp();
        try
        {
            var pipeline = ModelLoader.Load(model, _sessionOptions, _options.IoBinding);
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
        lock (_cacheLock)
        {
            foreach (var entry in _loaded.Values)
            {
                DisposeLoaded(entry);
            }

            _loaded.Clear();
        }

        _sessionOptions.Dispose();
    }
}

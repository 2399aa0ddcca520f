using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using RenderFarm.Core.Generation;
using RenderFarm.Inference.Models;
using RenderFarm.Inference.Pipelines;
using RenderFarm.Inference.Sessions;

namespace RenderFarm.Inference;

/// <summary>
/// The ONNX Runtime engine: one pipeline per configured model, loaded on first use and kept (sessions are
/// expensive to create and safe to share), rendering each batch on the thread pool.
/// </summary>
public sealed class OnnxImageGenerator : IImageGenerator, IDisposable
{
    private readonly InferenceOptions _options;
    private readonly ILogger<OnnxImageGenerator> _logger;
    private readonly ConcurrentDictionary<string, Lazy<IDiffusionPipeline>> _pipelines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InferenceModelOptions> _models;
    private readonly SessionOptions _sessionOptions;

    public OnnxImageGenerator(IOptions<InferenceOptions> options, ILogger<OnnxImageGenerator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger ?? NullLogger<OnnxImageGenerator>.Instance;
        _models = _options.Models.ToDictionary(m => m.Name, StringComparer.Ordinal);
        // A worker subscribes to a queue per listed model, so a model whose folder is absent is not offered; asking
        // for it anyway still fails with the missing file's name.
        Models = [.. _options.Models.Where(Present).Select(m => m.Name)];
        _sessionOptions = SessionOptionsFactory.Create(_options);
        Device = SessionOptionsFactory.DeviceName(_options);
    }

    public IReadOnlyCollection<string> Models { get; }

    public string Device { get; }

    public Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken) =>
        GenerateAsync(batch, progress, null, cancellationToken);

    internal Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, GenerationTimings? timings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // Loading (seconds for a real model) happens on the pool too, never on the caller's thread.
        return Task.Run(() => Pipeline(batch.Model).Generate(batch, progress, timings, cancellationToken), cancellationToken);
    }

    private bool Present(InferenceModelOptions model)
    {
        if (File.Exists(Path.Combine(model.Path, "model_index.json")))
        {
            return true;
        }

        _logger.LogWarning("Model {Model} is configured but {Path} has no model_index.json; it is not offered", model.Name, model.Path);
        return false;
    }

    /// <summary>Loads a model now rather than on its first batch (worker start-up, benchmarks).</summary>
    public void Preload(string model) => Pipeline(model);

    private IDiffusionPipeline Pipeline(string name)
    {
        if (!_models.TryGetValue(name, out var model))
        {
            throw new ArgumentException($"Model '{name}' is not configured here (available: {string.Join(", ", _models.Keys)}).", nameof(name));
        }

        var lazy = _pipelines.GetOrAdd(name, _ => new Lazy<IDiffusionPipeline>(() => Load(model), LazyThreadSafetyMode.ExecutionAndPublication));
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
            _logger.LogInformation("Loaded model {Model} from {Path} on {Device} in {Elapsed} ms", model.Name, model.Path, Device, (long)Stopwatch.GetElapsedTime(start).TotalMilliseconds);
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

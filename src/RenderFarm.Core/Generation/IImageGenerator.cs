using RenderFarm.Contracts;
using RenderFarm.Core.Models;

namespace RenderFarm.Core.Generation;

/// <summary>The engine port: renders a batch of images. Implementations are thread-safe and reuse their sessions.</summary>
public interface IImageGenerator
{
    /// <summary>The models this engine can render on this machine.</summary>
    IReadOnlyCollection<string> Models { get; }

    /// <summary>A short description of the device it runs on, e.g. "cpu" or "cuda:0".</summary>
    string Device { get; }

    /// <summary>
    /// Every model of <see cref="Models"/> as the worker advertises it to the farm's catalog. An engine without model
    /// folders advertises its names with the generic limits and defaults.
    /// </summary>
    IReadOnlyList<ModelAdvertisement> Catalog => [.. Models.Select(GenericModel.Advertise)];

    /// <summary>Loads a model now rather than on its first batch (worker start-up); an engine with nothing to load does nothing.</summary>
    /// <param name="warmUpImages">How many images a warm-up render (where the engine does one) batches: the worker's batch size.</param>
    void Preload(string model, int warmUpImages = 1)
    {
    }

    /// <summary>Looks again for models added to (or removed from) where the engine finds them; true when <see cref="Models"/> changed.</summary>
    bool Rescan() => false;

    Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// Renders as the overload without <paramref name="preemption"/> does, and between denoising steps awaits it, so a
    /// small job need not wait for the whole batch in the engine. An engine that cannot stop between steps renders
    /// straight through.
    /// </summary>
    Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, IPreemption? preemption, CancellationToken cancellationToken) =>
        GenerateAsync(batch, progress, cancellationToken);
}

using RenderFarm.Core.Generation;
using RenderFarm.Contracts;

namespace RenderFarm.Bench.Farm;

/// <summary>Times every call into an engine, so the benchmark can say how much of a run the engine was busy.</summary>
public sealed class MeteredImageGenerator(IImageGenerator inner, EngineMeter meter) : IImageGenerator
{
    public IReadOnlyCollection<string> Models => inner.Models;

    public string Device => inner.Device;

    // Forwarded, not left to the interface's defaults: the catalog's sizes and defaults come from the model folder's
    // renderfarm.json, and without them the embedded run rendered tiny-shapes at the generic 512² instead of its 128².
    public IReadOnlyList<ModelAdvertisement> Catalog => inner.Catalog;

    public bool Rescan() => inner.Rescan();

    // Forwarded too: without it the worker's preloader saw no ONNX engine behind the meter, and the embedded run loaded
    // the model inside its first batch, in the job's time.
    public void Preload(string model, int warmUpImages = 1) => inner.Preload(model, warmUpImages);

    public Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken) =>
        GenerateAsync(batch, progress, null, cancellationToken);

    public async Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, IPreemption? preemption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        meter.Enter();
        try
        {
            return await inner.GenerateAsync(batch, progress, preemption, cancellationToken);
        }
        finally
        {
            meter.Exit(batch.Items.Count);
        }
    }
}

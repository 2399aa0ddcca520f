using System.Diagnostics;
using RenderFarm.Core.Generation;

namespace RenderFarm.Bench.Farm;

/// <summary>Times every call into an engine, so the benchmark can say how much of a run the engine was busy.</summary>
public sealed class MeteredImageGenerator(IImageGenerator inner, EngineMeter meter) : IImageGenerator
{
    public IReadOnlyCollection<string> Models => inner.Models;

    public string Device => inner.Device;

    public async Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await inner.GenerateAsync(batch, progress, cancellationToken);
        }
        finally
        {
            meter.Add(Stopwatch.GetElapsedTime(started), batch.Items.Count);
        }
    }
}

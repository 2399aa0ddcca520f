using RenderFarm.Core.Generation;

namespace RenderFarm.Bench.Farm;

/// <summary>
/// An engine that costs no CPU: it waits as long as <see cref="EngineSpec"/> says and returns black images, so what
/// the farm spends around it is all that a run measures.
/// </summary>
public sealed class FakeEngine(EngineSpec spec, string model) : IImageGenerator
{
    public IReadOnlyCollection<string> Models { get; } = [model];

    public string Device => $"fake {spec}";

    public async Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (spec.Latency == EngineLatency.Fails)
        {
            throw new InvalidOperationException("This engine fails every image (a fault injected by the bench).");
        }

        var time = spec.TimeFor(batch.Items.Count);
        if (time > TimeSpan.Zero)
        {
            await Task.Delay(time, cancellationToken);
        }

        // Encoders only read the pixels, so every image of the batch can share one buffer.
        var rgb = new byte[batch.Width * batch.Height * 3];
        return new GenerationResult([.. batch.Items.Select(_ => new GeneratedImage(batch.Width, batch.Height, rgb))], "fake");
    }
}

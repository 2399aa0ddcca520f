using System.Diagnostics;
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

    public Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken) =>
        GenerateAsync(batch, progress, null, cancellationToken);

    /// <summary>With <paramref name="preemption"/>, its time is spread over the batch's steps, between which it lets that run, as a pipeline does.</summary>
    public async Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, IPreemption? preemption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (spec.Latency == EngineLatency.Fails)
        {
            throw new InvalidOperationException("This engine fails every image (a fault injected by the bench).");
        }

        var time = spec.TimeFor(batch.Items.Count);
        if (time > TimeSpan.Zero)
        {
            // Each step ends at its share of the batch's time from the start, pauses added, so that timer wake-ups
            // late by a millisecond do not add up over the steps.
            var steps = preemption is null ? 1 : Math.Max(1, batch.Steps);
            var end = Stopwatch.GetTimestamp();
            for (var step = 1; step <= steps; step++)
            {
                end += (long)(time.TotalSeconds / steps * Stopwatch.Frequency);
                if (Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), end) is { Ticks: > 0 } left)
                {
                    await Task.Delay(left, cancellationToken);
                }

                if (step < steps && preemption is not null)
                {
                    var paused = Stopwatch.GetTimestamp();
                    await preemption.BetweenStepsAsync(cancellationToken);
                    end += Stopwatch.GetTimestamp() - paused;
                }
            }
        }

        // Encoders only read the pixels, so every image of the batch can share one buffer.
        var rgb = new byte[batch.Width * batch.Height * 3];
        return new GenerationResult([.. batch.Items.Select(_ => new GeneratedImage(batch.Width, batch.Height, rgb))], "fake");
    }
}

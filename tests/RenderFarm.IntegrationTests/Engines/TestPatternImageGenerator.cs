using System.Collections.Concurrent;
using RenderFarm.Contracts;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Models;

namespace RenderFarm.IntegrationTests.Engines;

/// <summary>
/// A test-only engine: draws a pattern derived from each seed after a configurable delay, can be told to fail on
/// some prompts (the whole call), or to come out NaN on some (those images only, as the real engine reports it), and
/// records every image it rendered so tests can prove each was rendered exactly once. Its time is per call, per step
/// and per image, as each test needs. It advertises its model with the generic rules, or as <paramref name="advertised"/>
/// says.
/// </summary>
public sealed class TestPatternImageGenerator(
    string model, TimeSpan delayPerBatch, Func<GenerationItem, bool>? fails = null, Func<GenerationItem, bool>? nan = null, TimeSpan? delayPerStep = null, ModelAdvertisement? advertised = null, TimeSpan? delayPerImage = null)
    : IImageGenerator
{
    public IReadOnlyList<ModelAdvertisement> Catalog => [advertised ?? GenericModel.Advertise(model)];

    public ConcurrentQueue<GenerationItem> Rendered { get; } = new();

    /// <summary>Every item of every call, rendered or not.</summary>
    public ConcurrentQueue<GenerationItem> Attempted { get; } = new();

    /// <summary>The images of every call that rendered, one list per call.</summary>
    public ConcurrentQueue<IReadOnlyList<GenerationItem>> Batches { get; } = new();

    /// <summary>When each call started and ended: where the engine sat idle, waiting for the farm.</summary>
    public ConcurrentQueue<(DateTimeOffset Started, DateTimeOffset Ended)> Calls { get; } = new();

    /// <summary>The models preloaded, with how many engine calls had been made by then.</summary>
    public ConcurrentQueue<(string Model, int CallsBefore)> Preloaded { get; } = new();

    public IReadOnlyCollection<string> Models => [model];

    public string Device => "test-pattern";

    public void Preload(string model, int warmUpImages = 1) => Preloaded.Enqueue((model, Batches.Count));

    public async Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        try
        {
            return await RenderAsync(batch, progress, cancellationToken);
        }
        finally
        {
            Calls.Enqueue((started, DateTimeOffset.UtcNow));
        }
    }

    private async Task<GenerationResult> RenderAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
    {
        await Task.Delay(delayPerBatch + ((delayPerImage ?? TimeSpan.Zero) * batch.Items.Count), cancellationToken);
        if (delayPerStep is { } stepDelay)
        {
            for (var step = 1; step <= batch.Steps; step++)
            {
                await Task.Delay(stepDelay, cancellationToken);
                progress?.Report(new GenerationProgress(step, batch.Steps));
            }
        }

        foreach (var item in batch.Items)
        {
            Attempted.Enqueue(item);
        }

        if (fails is not null && batch.Items.FirstOrDefault(fails) is { } failing)
        {
            throw new InvalidOperationException($"test engine refuses '{failing.Prompt}'");
        }

        if (nan is not null && batch.Items.Any(nan))
        {
            var good = batch.Items.Where(i => !nan(i)).ToList();
            foreach (var item in good)
            {
                Rendered.Enqueue(item);
            }

            throw new ImageGenerationException(
                [.. batch.Items.Select(i => nan(i) ? null : Draw(batch.Width, batch.Height, i.Seed))],
                [.. batch.Items.Select(i => nan(i) ? "the model produced NaN at step 1; fp16 export?" : null)],
                "Test pattern",
                batch.Noise);
        }

        var images = batch.Items.Select(item => Draw(batch.Width, batch.Height, item.Seed)).ToList();
        Batches.Enqueue(batch.Items);
        foreach (var item in batch.Items)
        {
            Rendered.Enqueue(item);
        }

        // Echoes the noise the job asked for, as the real engine reports the one it drew from.
        return new GenerationResult(images, "Test pattern", batch.Noise);
    }

    private static GeneratedImage Draw(int width, int height, long seed)
    {
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var offset = ((y * width) + x) * 3;
                rgb[offset] = (byte)(seed + x);
                rgb[offset + 1] = (byte)((seed >> 8) + y);
                rgb[offset + 2] = (byte)(seed >> 16);
            }
        }

        return new GeneratedImage(width, height, rgb);
    }
}

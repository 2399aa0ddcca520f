using RenderFarm.Core.Generation;
using RenderFarm.Inference.Pipelines;

namespace RenderFarm.Inference.Tests.Pipelines;

/// <summary>
/// Z-Image samples on diffusers' current grid: n steps are n transformer forwards, none spent at sigma 0
/// (the older "9 steps for 8 forwards" recipe ran its last forward with dt = 0).
/// </summary>
public sealed class ZImageSamplingTests : IDisposable
{
    private readonly OnnxImageGenerator _generator = TestModels.Generator("tiny-zimage");

    [Theory]
    [InlineData(8, 0.0)]
    [InlineData(8, 4.0)]
    [InlineData(3, 0.0)]
    [InlineData(1, 0.0)]
    public async Task Transformer_forwards_equal_the_steps(int steps, double guidance)
    {
        var timings = new GenerationTimings();
        var progress = new RecordingProgress();

        await _generator.GenerateAsync(new GenerationBatch("tiny-zimage", 32, 32, steps, guidance, [new("a cat", "", 1), new("the dog", "", 2)]), progress, timings, CancellationToken.None);

        Assert.Equal(steps, timings.Forwards);
        Assert.Equal(steps, timings.Steps);
        Assert.Equal(Enumerable.Range(1, steps).Select(s => new GenerationProgress(s, steps)), progress.Reports);
    }

    public void Dispose() => _generator.Dispose();
}

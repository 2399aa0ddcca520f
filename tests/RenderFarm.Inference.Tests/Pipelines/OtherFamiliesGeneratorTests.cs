using RenderFarm.Core.Generation;
using static RenderFarm.Inference.Tests.Pipelines.StableDiffusionGeneratorTests;

namespace RenderFarm.Inference.Tests.Pipelines;

public sealed class OtherFamiliesGeneratorTests : IDisposable
{
    private readonly OnnxImageGenerator _generator = TestModels.Generator(
        ("tiny-sdxl", TestModels.Fixture("tiny-sdxl")),
        ("tiny-zimage", TestModels.Fixture("tiny-zimage")),
        ("tiny-sd", TestModels.Fixture("tiny-sd")));

    [Theory]
    [InlineData("tiny-sdxl", 64, 48, "Euler")]
    [InlineData("tiny-zimage", 64, 48, "Euler (flow match)")]
    [InlineData("tiny-sd", 72, 40, "Euler")]
    public async Task Renders_deterministic_images_of_the_requested_size(string model, int width, int height, string sampler)
    {
        var batch = new GenerationBatch(model, width, height, 3, 0, [new("a red cat", "", 4), new("the blue dog", "", 5)]);

        var a = await _generator.GenerateAsync(batch, null, CancellationToken.None);
        var b = await _generator.GenerateAsync(batch, null, CancellationToken.None);

        Assert.Equal(sampler, a.Sampler);
        Assert.Equal(2, a.Images.Count);
        Assert.All(a.Images, i => Assert.Equal(width * height * 3, i.Rgb.Length));
        Assert.All(a.Images, i => Assert.Equal((width, height), (i.Width, i.Height)));
        Assert.Equal(a.Images[1].Rgb, b.Images[1].Rgb);
        Assert.True(MeanAbsoluteDifference(a.Images[0].Rgb, a.Images[1].Rgb) > 1.0);
    }

    [Theory]
    [InlineData("tiny-sdxl")]
    [InlineData("tiny-zimage")]
    public async Task Batching_does_not_change_an_image(string model)
    {
        var alone = await _generator.GenerateAsync(new GenerationBatch(model, 64, 64, 3, 4, [new("a red cat", "dog", 7)]), null, CancellationToken.None);
        var batch = await _generator.GenerateAsync(
            new GenerationBatch(model, 64, 64, 3, 4, [new("the", "", 1), new("a red cat", "dog", 7), new("blue blue blue dog of the cat", "red", 2), new("cat", "", 3)]),
            null, CancellationToken.None);

        Assert.True(MaxAbsoluteDifference(alone.Images[0].Rgb, batch.Images[1].Rgb) <= 2);
    }

    [Fact]
    public async Task Zimage_guides_above_zero_as_its_pipeline_does_and_ignores_the_negative_only_at_zero()
    {
        GenerationBatch Batch(double g, string negative) => new("tiny-zimage", 64, 64, 2, g, [new("a cat", negative, 3)]);

        var plain = await _generator.GenerateAsync(Batch(0, "red"), null, CancellationToken.None);
        var plainOtherNegative = await _generator.GenerateAsync(Batch(0, "blue dog"), null, CancellationToken.None);
        var one = await _generator.GenerateAsync(Batch(1, "red"), null, CancellationToken.None);
        var oneOtherNegative = await _generator.GenerateAsync(Batch(1, "blue dog"), null, CancellationToken.None);

        Assert.Equal(plain.Images[0].Rgb, plainOtherNegative.Images[0].Rgb);
        Assert.NotEqual(plain.Images[0].Rgb, one.Images[0].Rgb);
        Assert.NotEqual(one.Images[0].Rgb, oneOtherNegative.Images[0].Rgb);
    }

    [Theory]
    [InlineData("tiny-sdxl")]
    public async Task Guidance_above_one_changes_the_image_and_at_most_one_ignores_the_negative(string model)
    {
        GenerationBatch Batch(double g, string negative) => new(model, 64, 64, 2, g, [new("a cat", negative, 3)]);

        var plain = await _generator.GenerateAsync(Batch(0, "red"), null, CancellationToken.None);
        var plainOtherNegative = await _generator.GenerateAsync(Batch(1, "blue dog"), null, CancellationToken.None);
        var guided = await _generator.GenerateAsync(Batch(5, "red"), null, CancellationToken.None);

        Assert.Equal(plain.Images[0].Rgb, plainOtherNegative.Images[0].Rgb);
        Assert.NotEqual(plain.Images[0].Rgb, guided.Images[0].Rgb);
    }

    [Fact]
    public async Task Sdxl_empty_negative_prompt_means_zero_conditioning_not_the_encoding_of_nothing()
    {
        // force_zeros_for_empty_prompt: "" and " " differ as text ("" is zeros, " " cleans to "" but is not empty).
        GenerationBatch Batch(string negative) => new("tiny-sdxl", 64, 64, 2, 5, [new("a cat", negative, 3)]);

        var zeros = await _generator.GenerateAsync(Batch(""), null, CancellationToken.None);
        var encoded = await _generator.GenerateAsync(Batch(" "), null, CancellationToken.None);

        Assert.NotEqual(zeros.Images[0].Rgb, encoded.Images[0].Rgb);
    }

    [Theory]
    [InlineData(72, 64, "Width")]
    [InlineData(64, 40, "Height")]
    public async Task Zimage_sizes_must_be_multiples_of_sixteen(int width, int height, string field)
    {
        var batch = new GenerationBatch("tiny-zimage", width, height, 1, 0, [new("a cat", "", 1)]);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => _generator.GenerateAsync(batch, null, CancellationToken.None));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
        Assert.Contains("16", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_and_cancellation_work_for_the_dit_too()
    {
        using var cts = new CancellationTokenSource();
        var progress = new RecordingProgress(p =>
        {
            if (p.Step == 1)
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _generator.GenerateAsync(new GenerationBatch("tiny-zimage", 64, 64, 4, 0, [new("a cat", "", 1)]), progress, cts.Token));
        Assert.Equal([new GenerationProgress(1, 4)], progress.Reports);
    }

    public void Dispose() => _generator.Dispose();
}

using RenderFarm.Core.Generation;

namespace RenderFarm.Inference.Tests.Pipelines;

public sealed class StableDiffusionGeneratorTests : IDisposable
{
    private const string Model = "tiny-sd-turbo";
    private readonly OnnxImageGenerator _generator = TestModels.Generator(Model);

    [Fact]
    public async Task Renders_one_packed_rgb_image_per_item_at_the_requested_size()
    {
        var result = await _generator.GenerateAsync(
            new GenerationBatch(Model, 64, 48, 2, 0, [new("a cat", "", 1), new("a dog", "", 2)]), null, CancellationToken.None);

        Assert.Equal(2, result.Images.Count);
        foreach (var image in result.Images)
        {
            Assert.Equal(64, image.Width);
            Assert.Equal(48, image.Height);
            Assert.Equal(64 * 48 * 3, image.Rgb.Length);
            // Not a constant image: the fixture is random, but its output is not saturated or flat.
            Assert.True(image.Rgb.Distinct().Count() > 16, "image has almost no distinct values");
        }

        Assert.Equal("Euler", result.Sampler);
    }

    [Fact]
    public async Task Same_seed_gives_the_same_bytes()
    {
        var a = await _generator.GenerateAsync(TestModels.Batch(Model, 64, 3, 0, 42), null, CancellationToken.None);
        var b = await _generator.GenerateAsync(TestModels.Batch(Model, 64, 3, 0, 42), null, CancellationToken.None);

        Assert.Equal(a.Images[0].Rgb, b.Images[0].Rgb);
    }

    [Fact]
    public async Task Different_seeds_give_different_images()
    {
        var result = await _generator.GenerateAsync(
            new GenerationBatch(Model, 64, 64, 3, 0, [new("a cat", "", 1), new("a cat", "", 2)]), null, CancellationToken.None);

        Assert.True(MeanAbsoluteDifference(result.Images[0].Rgb, result.Images[1].Rgb) > 1.0);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(5.0)]
    public async Task An_image_is_the_same_alone_and_in_a_batch_of_four(double guidance)
    {
        var alone = await _generator.GenerateAsync(
            new GenerationBatch(Model, 64, 64, 3, guidance, [new("a red cat", "blue", 7)]), null, CancellationToken.None);
        var batch = await _generator.GenerateAsync(
            new GenerationBatch(Model, 64, 64, 3, guidance,
            [new("the dog", "", 1), new("blue of the", "red", 99), new("a red cat", "blue", 7), new("cat", "dog", 3)]),
            null, CancellationToken.None);

        var expected = alone.Images[0].Rgb;
        var actual = batch.Images[2].Rgb;
        // Kernels may sum in a different order for another batch size: allow a rounding step, nothing more.
        Assert.True(MaxAbsoluteDifference(expected, actual) <= 2, $"max difference {MaxAbsoluteDifference(expected, actual)}");
        Assert.True(MeanAbsoluteDifference(batch.Images[0].Rgb, actual) > 1.0, "batch neighbours must differ");
    }

    [Fact]
    public async Task Guidance_above_one_changes_the_image()
    {
        var off = await _generator.GenerateAsync(TestModels.Batch(Model, 64, 3, 0, 5), null, CancellationToken.None);
        var on = await _generator.GenerateAsync(TestModels.Batch(Model, 64, 3, 5, 5), null, CancellationToken.None);

        Assert.True(MeanAbsoluteDifference(off.Images[0].Rgb, on.Images[0].Rgb) > 0.5);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public async Task Guidance_up_to_one_skips_the_unconditional_pass_so_the_negative_prompt_is_ignored(double guidance)
    {
        var a = await _generator.GenerateAsync(new GenerationBatch(Model, 64, 64, 2, guidance, [new("a cat", "red", 9)]), null, CancellationToken.None);
        var b = await _generator.GenerateAsync(new GenerationBatch(Model, 64, 64, 2, guidance, [new("a cat", "the blue dog", 9)]), null, CancellationToken.None);

        Assert.Equal(a.Images[0].Rgb, b.Images[0].Rgb);
    }

    [Fact]
    public async Task With_guidance_the_negative_prompt_matters()
    {
        var a = await _generator.GenerateAsync(new GenerationBatch(Model, 64, 64, 2, 7, [new("a cat", "red", 9)]), null, CancellationToken.None);
        var b = await _generator.GenerateAsync(new GenerationBatch(Model, 64, 64, 2, 7, [new("a cat", "the blue dog", 9)]), null, CancellationToken.None);

        Assert.NotEqual(a.Images[0].Rgb, b.Images[0].Rgb);
    }

    [Fact]
    public async Task The_prompt_matters()
    {
        var a = await _generator.GenerateAsync(new GenerationBatch(Model, 64, 64, 2, 0, [new("a cat", "", 9)]), null, CancellationToken.None);
        var b = await _generator.GenerateAsync(new GenerationBatch(Model, 64, 64, 2, 0, [new("the blue dog", "", 9)]), null, CancellationToken.None);

        Assert.NotEqual(a.Images[0].Rgb, b.Images[0].Rgb);
    }

    [Fact]
    public async Task Reports_progress_once_per_step()
    {
        var progress = new RecordingProgress();

        await _generator.GenerateAsync(TestModels.Batch(Model, 64, 4, 0, 1, 2), progress, CancellationToken.None);

        Assert.Equal([new(1, 4), new(2, 4), new(3, 4), new(4, 4)], progress.Reports);
    }

    [Fact]
    public async Task Cancelling_after_the_first_step_stops_the_render()
    {
        using var cts = new CancellationTokenSource();
        var progress = new RecordingProgress(p =>
        {
            if (p.Step == 1)
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _generator.GenerateAsync(TestModels.Batch(Model, 64, 4, 0, 1), progress, cts.Token));
        Assert.Single(progress.Reports);
    }

    [Theory]
    [InlineData(60, 64, "Width")]
    [InlineData(64, 68, "Height")]
    public async Task Sizes_must_be_multiples_of_eight(int width, int height, string field)
    {
        var batch = new GenerationBatch(Model, width, height, 1, 0, [new("a cat", "", 1)]);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => _generator.GenerateAsync(batch, null, CancellationToken.None));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
        Assert.Contains("8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_model_is_an_argument_error()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => _generator.GenerateAsync(TestModels.Batch("nope", 64, 1, 0, 1), null, CancellationToken.None));
        Assert.Contains("nope", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lists_its_models_and_device()
    {
        Assert.Equal([Model], _generator.Models);
        Assert.Equal("cpu", _generator.Device);
    }

    internal static double MeanAbsoluteDifference(byte[] a, byte[] b)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return (double)sum / a.Length;
    }

    internal static int MaxAbsoluteDifference(byte[] a, byte[] b)
    {
        var max = 0;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }

    public void Dispose() => _generator.Dispose();
}

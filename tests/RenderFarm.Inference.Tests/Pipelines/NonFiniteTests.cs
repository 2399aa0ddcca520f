using RenderFarm.Core.Generation;
using RenderFarm.Inference.Pipelines;

namespace RenderFarm.Inference.Tests.Pipelines;

/// <summary>
/// No silent black images: tests/fixtures/models/tiny-sd-overflow is tiny-sd behind an fp16 round trip that overflows
/// (Inf, then NaN) for prompts starting with "boom" from timestep 400 down, i.e. at step 3 of 4
/// (tools/make-test-models/make_test_models.py, OverflowingUNet).
/// </summary>
public sealed class NonFiniteTests : IDisposable
{
    private readonly OnnxImageGenerator _generator = TestModels.Generator("tiny-sd-overflow");

    private static GenerationBatch Batch(params string[] prompts) =>
        new("tiny-sd-overflow", 64, 64, 4, 0, [.. prompts.Select((p, i) => new GenerationItem(p, "", 10 + i))]);

    [Fact]
    public async Task An_image_that_overflows_fails_with_the_step_instead_of_coming_back_black()
    {
        var e = await Assert.ThrowsAsync<ImageGenerationException>(() => _generator.GenerateAsync(Batch("boom box"), null, CancellationToken.None));

        Assert.Equal("the model produced NaN at step 3; fp16 export? (fp16 overflows above 65504: export in bf16 or fp32)", e.Message);
        Assert.Equal([e.Message], e.Errors);
        Assert.Equal([null], e.Images);
    }

    [Fact]
    public async Task The_other_images_of_the_batch_come_with_the_failure_and_match_their_single_renders()
    {
        var alone = await _generator.GenerateAsync(Batch("calm sea"), null, CancellationToken.None);

        var e = await Assert.ThrowsAsync<ImageGenerationException>(() => _generator.GenerateAsync(Batch("calm sea", "boom box", "calm lake"), null, CancellationToken.None));

        Assert.StartsWith("1 of 3 images failed: the model produced NaN at step 3", e.Message, StringComparison.Ordinal);
        Assert.Equal([false, true, false], e.Errors.Select(x => x is not null));
        Assert.Equal(alone.Images[0].Rgb, e.Images[0]!.Rgb);
        Assert.NotNull(e.Images[2]);
        Assert.Equal(("Euler", NoiseSources.TorchCpu), (e.Sampler, e.Noise));
    }

    [Fact]
    public async Task The_error_names_the_step_the_overflow_happened_at()
    {
        // Two steps run at timesteps 501 and 1: the second is past the fixture's threshold.
        var e = await Assert.ThrowsAsync<ImageGenerationException>(() => _generator.GenerateAsync(Batch("boom box") with { Steps = 2 }, null, CancellationToken.None));

        Assert.StartsWith("the model produced NaN at step 2;", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 1f, 2f, 3f }, null)]
    [InlineData(new[] { 1f, float.NaN, 3f }, "NaN")]
    [InlineData(new[] { 1f, float.PositiveInfinity, 3f }, "Inf")]
    [InlineData(new[] { float.NegativeInfinity, float.PositiveInfinity }, "Inf")]
    [InlineData(new[] { 3e38f, 3e38f }, null)]
    public void Non_finite_values_are_named_and_a_sum_that_overflows_is_not_one(float[] values, string? expected) =>
        Assert.Equal(expected, NonFiniteGuard.NonFinite(values));

    [Fact]
    public void Decoded_pixels_that_are_not_finite_fail_their_image()
    {
        var guard = new NonFiniteGuard(2);

        Assert.True(guard.CheckDecoded(0, [0.5f, -0.5f]));
        Assert.False(guard.CheckDecoded(1, [0.5f, float.NaN]));

        var e = Assert.Throws<ImageGenerationException>(() => guard.Result([new GeneratedImage(1, 1, [1, 2, 3]), null], "Euler", NoiseSources.TorchCpu));
        Assert.Equal([null, "the VAE produced NaN while decoding; fp16 VAE? (use an fp32 VAE or an fp16-fixed one)"], e.Errors);
    }

    public void Dispose() => _generator.Dispose();
}

using RenderFarm.Core.Generation;
using static RenderFarm.Inference.Tests.Pipelines.StableDiffusionGeneratorTests;

namespace RenderFarm.Inference.Tests.Pipelines;

/// <summary>
/// tiny-sd-fp16 has tiny-sd's weights behind float16 inputs and outputs (as `--fp16` exports have), so the engine's
/// conversions must reproduce tiny-sd's image up to half-precision rounding.
/// </summary>
public sealed class HalfPrecisionTests
{
    [Fact]
    public async Task A_float16_export_renders_the_same_image_as_its_float32_twin()
    {
        using var generator = TestModels.Generator(("fp32", TestModels.Fixture("tiny-sd")), ("fp16", TestModels.Fixture("tiny-sd-fp16")));
        GenerationBatch Batch(string model) => new(model, 64, 64, 3, 4, [new("a red cat", "dog", 17)]);

        var full = await generator.GenerateAsync(Batch("fp32"), null, CancellationToken.None);
        var half = await generator.GenerateAsync(Batch("fp16"), null, CancellationToken.None);

        Assert.True(MeanAbsoluteDifference(full.Images[0].Rgb, half.Images[0].Rgb) < 2.0, $"mean difference {MeanAbsoluteDifference(full.Images[0].Rgb, half.Images[0].Rgb)}");
        Assert.True(MaxAbsoluteDifference(full.Images[0].Rgb, half.Images[0].Rgb) < 24);
    }
}

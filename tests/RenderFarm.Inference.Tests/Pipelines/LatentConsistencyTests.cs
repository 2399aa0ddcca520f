using RenderFarm.Core.Generation;
using RenderFarm.Inference.Pipelines;

namespace RenderFarm.Inference.Tests.Pipelines;

public sealed class LatentConsistencyTests : IDisposable
{
    private readonly OnnxImageGenerator _generator = TestModels.Generator("tiny-lcm");

    /// <summary>
    /// Expected: diffusers' get_guidance_scale_embedding in numpy, w = 8.5 - 1, dim 8:
    /// <c>e = exp(arange(4) * -log(10000)/3); x = 7500 * e; concat(sin(x), cos(x))</c>.
    /// </summary>
    [Fact]
    public void Guidance_embedding_matches_diffusers()
    {
        double[] expected = [-0.851235899346026, 0.5626782534001289, -0.4352328642444369, 0.6816387600233347, -0.524783234930921, -0.8266759843799627, -0.9003179182275466, 0.7316888688738206];

        var actual = GuidanceEmbedding.Create(7.5, 8);

        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-4);
        }
    }

    [Fact]
    public async Task Distilled_guidance_changes_the_image_without_a_negative_pass()
    {
        GenerationBatch Batch(double g, string negative) => new("tiny-lcm", 64, 64, 4, g, [new("a cat", negative, 8)]);

        var low = await _generator.GenerateAsync(Batch(1.5, "red"), null, CancellationToken.None);
        var high = await _generator.GenerateAsync(Batch(8.5, "red"), null, CancellationToken.None);
        var highOtherNegative = await _generator.GenerateAsync(Batch(8.5, "the blue dog"), null, CancellationToken.None);

        Assert.Equal("LCM", high.Sampler);
        Assert.NotEqual(low.Images[0].Rgb, high.Images[0].Rgb);
        Assert.Equal(high.Images[0].Rgb, highOtherNegative.Images[0].Rgb);
    }

    public void Dispose() => _generator.Dispose();
}

using RenderFarm.Core.Generation;
using static RenderFarm.Inference.Tests.Pipelines.StableDiffusionGeneratorTests;

namespace RenderFarm.Inference.Tests.Pipelines;

/// <summary>
/// The public WebNN/WebGPU Z-Image-Turbo export's interface loads too: tiny-zimage-webnn has tiny-zimage's weights
/// behind its tensor names (5-D <c>hidden_states</c>, unmasked <c>encoder_hidden_states</c> of the prompt's own
/// tokens, <c>unified_results</c> without batch axis, <c>encoder_hidden_state</c> from the text encoder), so the two
/// must render the same images, also for batches with guidance and prompts of different lengths.
/// </summary>
public sealed class ZImageWebNnInterfaceTests : IDisposable
{
    private readonly OnnxImageGenerator _generator = TestModels.Generator(
        ("tiny-zimage", TestModels.Fixture("tiny-zimage")), ("tiny-zimage-webnn", TestModels.Fixture("tiny-zimage-webnn")));

    [Theory]
    [InlineData(0.0)]
    [InlineData(3.0)]
    public async Task Renders_what_the_engine_interface_renders_with_the_same_weights(double guidance)
    {
        GenerationItem[] items = [new("a cat", "the", 5), new("a cat, the thing, the cat and the dog", "", 6)];

        var engine = await _generator.GenerateAsync(new GenerationBatch("tiny-zimage", 64, 64, 3, guidance, items), null, CancellationToken.None);
        var webnn = await _generator.GenerateAsync(new GenerationBatch("tiny-zimage-webnn", 64, 64, 3, guidance, items), null, CancellationToken.None);

        Assert.Equal(2, webnn.Images.Count);
        for (var i = 0; i < items.Length; i++)
        {
            Assert.True(MaxAbsoluteDifference(engine.Images[i].Rgb, webnn.Images[i].Rgb) <= 1, $"image {i}: max difference {MaxAbsoluteDifference(engine.Images[i].Rgb, webnn.Images[i].Rgb)}");
        }

        Assert.True(MeanAbsoluteDifference(webnn.Images[0].Rgb, webnn.Images[1].Rgb) > 1.0, "the two prompts must give different images");
    }

    public void Dispose() => _generator.Dispose();
}

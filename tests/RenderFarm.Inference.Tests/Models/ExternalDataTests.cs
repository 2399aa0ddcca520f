using RenderFarm.Core.Generation;

namespace RenderFarm.Inference.Tests.Models;

public sealed class ExternalDataTests
{
    [Fact]
    public async Task A_unet_with_external_weights_renders_like_its_inline_twin()
    {
        using var generator = TestModels.Generator(("inline", TestModels.Fixture("tiny-sd")), ("external", TestModels.Fixture("tiny-sd-external")));
        GenerationBatch Batch(string model) => new(model, 64, 64, 2, 3, [new("a red cat", "dog", 4)]);

        var inline = await generator.GenerateAsync(Batch("inline"), null, CancellationToken.None);
        var external = await generator.GenerateAsync(Batch("external"), null, CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(TestModels.Fixture("tiny-sd-external"), "unet", "model.onnx_data")));
        Assert.Equal(inline.Images[0].Rgb, external.Images[0].Rgb);
    }
}

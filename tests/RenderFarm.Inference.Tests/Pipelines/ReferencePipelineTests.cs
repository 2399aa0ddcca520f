using RenderFarm.Core.Generation;
using static RenderFarm.Inference.Tests.Pipelines.StableDiffusionGeneratorTests;

namespace RenderFarm.Inference.Tests.Pipelines;

/// <summary>
/// Whole-pipeline checks against tools/make-test-models/pipeline_reference.py, which rebuilds the fixtures' torch
/// modules and runs the diffusers algorithms (tokenizer, CFG, Euler / flow-match Euler, timestep transforms, VAE
/// scaling) in torch, from torch.randn noise (the engine's default torch-cpu source). The expected bytes were
/// written by that script; ONNX Runtime and torch may differ in the last float bits, hence the small tolerance.
/// </summary>
public sealed class ReferencePipelineTests
{
    private static byte[] Expected(string name) => File.ReadAllBytes(Path.Combine(TestModels.RepositoryRoot, "tests", "fixtures", "expected", name));

    [Fact]
    public async Task Sd_turbo_with_guidance_matches_the_torch_reference()
    {
        using var generator = TestModels.Generator("tiny-sd-turbo");

        var result = await generator.GenerateAsync(new GenerationBatch("tiny-sd-turbo", 64, 64, 3, 5.0, [new("a red cat", "blue dog", 42)]), null, CancellationToken.None);

        AssertClose(Expected("tiny-sd-turbo_64_3steps_cfg5_seed42.rgb"), result.Images[0].Rgb);
    }

    [Fact]
    public async Task Sdxl_with_guidance_and_an_empty_negative_prompt_matches_the_torch_reference()
    {
        using var generator = TestModels.Generator("tiny-sdxl");

        var result = await generator.GenerateAsync(new GenerationBatch("tiny-sdxl", 64, 64, 3, 4.0, [new("a red cat", "", 9)]), null, CancellationToken.None);

        AssertClose(Expected("tiny-sdxl_64_3steps_cfg4_seed9.rgb"), result.Images[0].Rgb);
    }

    [Fact]
    public async Task Zimage_matches_the_torch_reference()
    {
        using var generator = TestModels.Generator("tiny-zimage");

        var result = await generator.GenerateAsync(new GenerationBatch("tiny-zimage", 64, 64, 4, 0, [new("a cat, the thing", "", 7)]), null, CancellationToken.None);

        AssertClose(Expected("tiny-zimage_64_4steps_seed7.rgb"), result.Images[0].Rgb);
    }

    [Fact]
    public async Task Zimage_with_guidance_under_one_runs_cfg_and_matches_the_torch_reference()
    {
        using var generator = TestModels.Generator("tiny-zimage");

        var result = await generator.GenerateAsync(new GenerationBatch("tiny-zimage", 64, 64, 3, 0.5, [new("a cat, the thing", "the", 8)]), null, CancellationToken.None);

        AssertClose(Expected("tiny-zimage_64_3steps_cfg0.5_seed8.rgb"), result.Images[0].Rgb);
    }

    private static void AssertClose(byte[] expected, byte[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var max = MaxAbsoluteDifference(expected, actual);
        var mean = MeanAbsoluteDifference(expected, actual);
        Assert.True(max <= 2 && mean < 0.05, $"max {max}, mean {mean}");
    }
}

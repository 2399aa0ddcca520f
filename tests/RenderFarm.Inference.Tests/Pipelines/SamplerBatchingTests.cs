using Microsoft.Extensions.Options;
using RenderFarm.Core.Generation;
using static RenderFarm.Inference.Tests.Pipelines.StableDiffusionGeneratorTests;

namespace RenderFarm.Inference.Tests.Pipelines;

/// <summary>Samplers that draw fresh noise every step (Euler a, LCM) must draw it per image too.</summary>
public sealed class SamplerBatchingTests
{
    [Theory]
    [InlineData("euler-a", NoiseSources.TorchCpu)]
    [InlineData("euler-a", NoiseSources.RenderFarm)]
    [InlineData("lcm", NoiseSources.TorchCpu)]
    [InlineData("lcm", NoiseSources.RenderFarm)]
    [InlineData("dpm++2m-karras", NoiseSources.TorchCpu)]
    public async Task Stochastic_and_multistep_samplers_keep_an_image_independent_of_its_batch(string sampler, string noise)
    {
        using var generator = new OnnxImageGenerator(Options.Create(new InferenceOptions
        {
            Models = [new InferenceModelOptions { Name = "m", Path = TestModels.Fixture("tiny-sd"), Scheduler = sampler }],
            IntraOpThreads = 1,
        }));

        var alone = await generator.GenerateAsync(new GenerationBatch("m", 64, 64, 4, 3, [new("a red cat", "", 21)], noise), null, CancellationToken.None);
        var batch = await generator.GenerateAsync(
            new GenerationBatch("m", 64, 64, 4, 3, [new("dog", "", 1), new("the cat", "red", 2), new("a red cat", "", 21)], noise), null, CancellationToken.None);

        Assert.True(MaxAbsoluteDifference(alone.Images[0].Rgb, batch.Images[2].Rgb) <= 2);
    }

    [Fact]
    public async Task Concurrent_batches_on_one_generator_match_sequential_ones()
    {
        using var generator = TestModels.Generator("tiny-sd-turbo");
        var batches = Enumerable.Range(0, 4).Select(i => TestModels.Batch("tiny-sd-turbo", 64, 3, i % 2 == 0 ? 0 : 4, 100 + i, 200 + i)).ToList();

        var sequential = new List<GenerationResult>();
        foreach (var b in batches)
        {
            sequential.Add(await generator.GenerateAsync(b, null, CancellationToken.None));
        }

        var concurrent = await Task.WhenAll(batches.Select(b => generator.GenerateAsync(b, null, CancellationToken.None)));

        for (var i = 0; i < batches.Count; i++)
        {
            for (var j = 0; j < 2; j++)
            {
                Assert.Equal(sequential[i].Images[j].Rgb, concurrent[i].Images[j].Rgb);
            }
        }
    }
}

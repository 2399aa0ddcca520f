using Microsoft.Extensions.Options;
using RenderFarm.Core.Generation;
using RenderFarm.Inference.Pipelines;

namespace RenderFarm.Inference.Tests.Pipelines;

/// <summary>
/// <see cref="InferenceOptions.IoBinding"/> changes how the denoiser is fed, never what it computes: every family
/// (fp16 export, int64 timesteps, SDXL's extra inputs, LCM's timestep_cond, both Z-Image interfaces, a multistep and a
/// stochastic sampler) renders the session-run path's images byte for byte, with and without guidance, in a batch.
/// </summary>
public sealed class IoBindingTests
{
    public static TheoryData<string, string?, double> Cases()
    {
        var data = new TheoryData<string, string?, double>();
        (string, string?)[] models =
        [
            ("tiny-sd", null), ("tiny-sd", "dpm++2m-karras"), ("tiny-sd", "euler-a"), ("tiny-sd-turbo", null), ("tiny-sdxl", null),
            ("tiny-lcm", null), ("tiny-sd-fp16", null), ("tiny-zimage", null), ("tiny-zimage-webnn", null),
        ];
        foreach (var (fixture, scheduler) in models)
        {
            data.Add(fixture, scheduler, 0);
            data.Add(fixture, scheduler, 4);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_bound_denoiser_renders_the_same_bytes_as_a_session_run_per_step(string fixture, string? scheduler, double guidance)
    {
        const int Steps = 3;
        var batch = new GenerationBatch(fixture, 64, 64, Steps, guidance, [new("a red cat", "blue dog", 11), new("a cat, the thing, the cat and the dog", "", 12)]);

        var (plain, plainTimings) = await RenderAsync(fixture, scheduler, ioBinding: false, batch);
        var (bound, boundTimings) = await RenderAsync(fixture, scheduler, ioBinding: true, batch);

        Assert.Equal((0, Steps), (plainTimings.BoundForwards, plainTimings.Forwards));
        Assert.Equal((Steps, Steps), (boundTimings.BoundForwards, boundTimings.Forwards));
        Assert.NotEqual(plain.Images[0].Rgb, plain.Images[1].Rgb);
        Assert.Equal(2, bound.Images.Count);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(plain.Images[i].Rgb, bound.Images[i].Rgb);
        }
    }

    [Fact]
    public async Task Concurrent_bound_batches_on_one_generator_render_what_the_default_path_renders()
    {
        var batches = Enumerable.Range(0, 4).Select(i => TestModels.Batch("tiny-sd-fp16", 64, 3, i % 2 == 0 ? 0 : 4, 100 + i, 200 + i)).ToList();
        using var plain = Generator("tiny-sd-fp16", null, ioBinding: false);
        using var bound = Generator("tiny-sd-fp16", null, ioBinding: true);

        var sequential = new List<GenerationResult>();
        foreach (var b in batches)
        {
            sequential.Add(await plain.GenerateAsync(b, null, CancellationToken.None));
        }

        var concurrent = await Task.WhenAll(batches.Select(b => bound.GenerateAsync(b, null, CancellationToken.None)));

        for (var i = 0; i < batches.Count; i++)
        {
            for (var j = 0; j < 2; j++)
            {
                Assert.Equal(sequential[i].Images[j].Rgb, concurrent[i].Images[j].Rgb);
            }
        }
    }

    private static async Task<(GenerationResult, GenerationTimings)> RenderAsync(string fixture, string? scheduler, bool ioBinding, GenerationBatch batch)
    {
        using var generator = Generator(fixture, scheduler, ioBinding);
        var timings = new GenerationTimings();
        var result = await generator.GenerateAsync(batch, null, timings, CancellationToken.None);
        return (result, timings);
    }

    private static OnnxImageGenerator Generator(string fixture, string? scheduler, bool ioBinding) =>
        new(Options.Create(new InferenceOptions
        {
            Models = [new InferenceModelOptions { Name = fixture, Path = TestModels.Fixture(fixture), Scheduler = scheduler }],
            IntraOpThreads = 1,
            IoBinding = ioBinding,
        }));
}

using Microsoft.Extensions.Options;

namespace RenderFarm.Inference.Tests.Models;

/// <summary>Preloading renders one image of one step at the model's default size, for every family, unless turned off.</summary>
public sealed class ModelWarmUpTests
{
    [Theory]
    [InlineData("tiny-sd")]
    [InlineData("tiny-sd-turbo")]
    [InlineData("tiny-sdxl")]
    [InlineData("tiny-lcm")]
    [InlineData("tiny-sd-fp16")]
    [InlineData("tiny-zimage")]
    [InlineData("tiny-zimage-webnn")]
    public void Preloading_warms_the_model_up_with_a_one_step_render(string fixture)
    {
        using var engine = TestModels.Generator(fixture);

        engine.Preload(fixture);

        Assert.True(engine.IsWarmedUp(fixture), $"{fixture} was loaded but its one-step warm-up render did not succeed");
    }

    [Fact]
    public void The_shipped_model_warms_up_too_with_a_batch_of_a_workers_size()
    {
        using var engine = TestModels.Generator(("tiny-shapes", Path.Combine(TestModels.RepositoryRoot, "models", "tiny-shapes")));

        engine.Preload("tiny-shapes", warmUpImages: 4);

        Assert.True(engine.IsWarmedUp("tiny-shapes"));
    }

    [Fact]
    public void Without_warm_up_preloading_only_loads()
    {
        using var engine = new OnnxImageGenerator(Options.Create(new InferenceOptions
        {
            Models = [new InferenceModelOptions { Name = "tiny-sd", Path = TestModels.Fixture("tiny-sd") }],
            IntraOpThreads = 1,
            WarmUp = false,
        }));

        engine.Preload("tiny-sd");

        Assert.True(engine.IsLoaded("tiny-sd"));
        Assert.False(engine.IsWarmedUp("tiny-sd"));
    }
}

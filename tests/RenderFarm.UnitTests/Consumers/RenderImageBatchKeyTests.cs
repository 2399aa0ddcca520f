using RenderFarm.Contracts;
using RenderFarm.Worker.Consumers;

namespace RenderFarm.UnitTests.Consumers;

public sealed class RenderImageBatchKeyTests
{
    private static RenderImage Message(string prompt = "p", long seed = 1, string model = "m", int width = 512, int steps = 4, double guidance = 0) => new()
    {
        JobId = Guid.NewGuid(), ImageId = Guid.NewGuid(), Index = 0, Prompt = prompt, Seed = seed,
        Width = width, Height = 512, Steps = steps, Guidance = guidance, Model = model, Attempt = 1, ObjectKey = "k",
    };

    [Fact]
    public void Prompts_seeds_and_jobs_do_not_split_a_batch() =>
        Assert.Equal(RenderImageBatchKey.Of(Message("a", 1)), RenderImageBatchKey.Of(Message("b", 2)));

    [Theory]
    [InlineData("other", 512, 4, 0.0)]
    [InlineData("m", 768, 4, 0.0)]
    [InlineData("m", 512, 8, 0.0)]
    [InlineData("m", 512, 4, 7.5)]
    public void Model_size_steps_and_guidance_each_split_a_batch(string model, int width, int steps, double guidance) =>
        Assert.NotEqual(RenderImageBatchKey.Of(Message()), RenderImageBatchKey.Of(Message(model: model, width: width, steps: steps, guidance: guidance)));

    [Fact]
    public void The_noise_a_job_asked_for_splits_a_batch()
    {
        var keys = new[] { Message(), Message() with { Noise = "torch-cpu" }, Message() with { Noise = "renderfarm" } }.Select(RenderImageBatchKey.Of);

        Assert.Equal(3, keys.Distinct().Count());
    }
}

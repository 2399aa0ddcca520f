using RenderFarm.Core.Imaging;

namespace RenderFarm.UnitTests.Imaging;

public sealed class GenerationParametersTests
{
    [Fact]
    public void Text_follows_the_common_parameters_format()
    {
        var text = new GenerationParameters("a lighthouse at dawn", "blurry, low quality", 8, "Euler", 1.5, 42, 1024, 576, "sd-turbo").ToText();

        Assert.Equal(
            "a lighthouse at dawn\nNegative prompt: blurry, low quality\nSteps: 8, Sampler: Euler, CFG scale: 1.5, Seed: 42, Size: 1024x576, Model: sd-turbo",
            text);
    }

    [Theory]
    [InlineData("torch-cpu", ", RNG: CPU")]
    [InlineData("renderfarm", ", RNG: renderfarm")]
    [InlineData(null, "")]
    public void The_noise_is_written_as_a1111s_rng_field(string? noise, string suffix)
    {
        var text = new GenerationParameters("cat", "", 4, "Euler", 0, 7, 512, 512, "m", noise).ToText();

        Assert.Equal("cat\nSteps: 4, Sampler: Euler, CFG scale: 0, Seed: 7, Size: 512x512, Model: m" + suffix, text);
    }

    [Fact]
    public void An_empty_negative_prompt_is_left_out()
    {
        var text = new GenerationParameters("cat", "", 4, "Euler a", 0, 7, 512, 512, "m").ToText();

        Assert.Equal("cat\nSteps: 4, Sampler: Euler a, CFG scale: 0, Seed: 7, Size: 512x512, Model: m", text);
    }
}

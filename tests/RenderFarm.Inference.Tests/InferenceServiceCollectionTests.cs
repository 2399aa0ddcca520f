using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RenderFarm.Core.Generation;
using RenderFarm.Inference.Pipelines;

namespace RenderFarm.Inference.Tests;

public sealed class InferenceServiceCollectionTests
{
    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddOnnxInference();
        return builder.Build();
    }

    [Fact]
    public async Task Registers_the_engine_as_a_singleton_bound_to_the_inference_section()
    {
        using var host = Build(new()
        {
            ["Inference:Models:0:Name"] = "tiny-sd-turbo",
            ["Inference:Models:0:Path"] = TestModels.Fixture("tiny-sd-turbo"),
            ["Inference:IntraOpThreads"] = "1",
        });
        await host.StartAsync();

        var generator = host.Services.GetRequiredService<IImageGenerator>();
        Assert.Same(generator, host.Services.GetRequiredService<IImageGenerator>());
        Assert.Equal(["tiny-sd-turbo"], generator.Models);
        var result = await generator.GenerateAsync(TestModels.Batch("tiny-sd-turbo", 64, 1, 0, 1), null, CancellationToken.None);
        Assert.Single(result.Images);
        await host.StopAsync();
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public async Task Io_binding_is_read_from_the_inference_section_and_off_by_default(string? configured, bool expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Inference:Models:0:Name"] = "tiny-sd-turbo",
            ["Inference:Models:0:Path"] = TestModels.Fixture("tiny-sd-turbo"),
            ["Inference:IntraOpThreads"] = "1",
        };
        if (configured is not null)
        {
            settings["Inference:IoBinding"] = configured;
        }

        using var host = Build(settings);
        await host.StartAsync();

        Assert.Equal(expected, host.Services.GetRequiredService<IOptions<InferenceOptions>>().Value.IoBinding);
        var timings = new GenerationTimings();
        await host.Services.GetRequiredService<OnnxImageGenerator>().GenerateAsync(TestModels.Batch("tiny-sd-turbo", 64, 2, 0, 1), null, timings, CancellationToken.None);
        Assert.Equal(expected ? 2 : 0, timings.BoundForwards);
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Inference:ExecutionProvider", "directml")]
    [InlineData("Inference:Models:0:Name", "Bad Name")]
    [InlineData("Inference:Models:0:Path", "")]
    [InlineData("Inference:IntraOpThreads", "-1")]
    [InlineData("Inference:CudnnConvAlgoSearch", "FASTEST")]
    public async Task Invalid_settings_fail_at_start(string key, string value)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Inference:Models:0:Name"] = "m",
            ["Inference:Models:0:Path"] = "/models/m",
            [key] = value,
        };
        using var host = Build(settings);

        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }

    [Fact]
    public async Task A_models_root_or_at_least_one_model_is_required()
    {
        using var host = Build(new() { ["Inference:ExecutionProvider"] = "cpu" });

        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }
}

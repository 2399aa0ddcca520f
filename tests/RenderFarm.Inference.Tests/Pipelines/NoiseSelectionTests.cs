using Microsoft.Extensions.Options;
using RenderFarm.Core.Generation;
using static RenderFarm.Inference.Tests.Pipelines.StableDiffusionGeneratorTests;

namespace RenderFarm.Inference.Tests.Pipelines;

/// <summary>Which initial noise an image gets: the job's choice, else the model's (options, then renderfarm.json), else torch-cpu.</summary>
public sealed class NoiseSelectionTests
{
    private static OnnxImageGenerator Generator(string path, string? noise = null) => new(Options.Create(new InferenceOptions
    {
        Models = [new InferenceModelOptions { Name = "m", Path = path, Noise = noise }],
        IntraOpThreads = 1,
    }));

    private static GenerationBatch Batch(string? noise) => new("m", 64, 64, 2, 0, [new("a red cat", "", 3)], noise);

    [Fact]
    public async Task Diffusers_families_default_to_torch_cpu_noise_and_a_job_may_ask_for_the_farms_own()
    {
        using var generator = Generator(TestModels.Fixture("tiny-sd-turbo"));

        var byDefault = await generator.GenerateAsync(Batch(null), null, CancellationToken.None);
        var torch = await generator.GenerateAsync(Batch(NoiseSources.TorchCpu), null, CancellationToken.None);
        var own = await generator.GenerateAsync(Batch(NoiseSources.RenderFarm), null, CancellationToken.None);

        Assert.Equal((NoiseSources.TorchCpu, NoiseSources.TorchCpu, NoiseSources.RenderFarm), (byDefault.Noise, torch.Noise, own.Noise));
        Assert.Equal(torch.Images[0].Rgb, byDefault.Images[0].Rgb);
        Assert.True(MeanAbsoluteDifference(torch.Images[0].Rgb, own.Images[0].Rgb) > 1.0);
    }

    [Fact]
    public async Task A_model_folder_chooses_its_default_in_renderfarm_json_and_options_override_it()
    {
        var folder = TestModels.CopyFixture("tiny-sd-turbo");
        File.WriteAllText(Path.Combine(folder, "renderfarm.json"), """{ "DefaultSteps": 2, "Noise": "renderfarm" }""");
        using var fromFolder = Generator(folder);
        using var fromOptions = Generator(folder, NoiseSources.TorchCpu);
        using var reference = Generator(TestModels.Fixture("tiny-sd-turbo"));

        var folderDefault = await fromFolder.GenerateAsync(Batch(null), null, CancellationToken.None);
        var optionsDefault = await fromOptions.GenerateAsync(Batch(null), null, CancellationToken.None);
        var own = await reference.GenerateAsync(Batch(NoiseSources.RenderFarm), null, CancellationToken.None);
        var torch = await reference.GenerateAsync(Batch(NoiseSources.TorchCpu), null, CancellationToken.None);

        Assert.Equal(NoiseSources.RenderFarm, folderDefault.Noise);
        Assert.Equal(own.Images[0].Rgb, folderDefault.Images[0].Rgb);
        Assert.Equal(NoiseSources.TorchCpu, optionsDefault.Noise);
        Assert.Equal(torch.Images[0].Rgb, optionsDefault.Images[0].Rgb);
    }

    [Fact]
    public async Task The_shipped_shapes_model_keeps_the_farms_own_noise()
    {
        using var generator = Generator(Path.Combine(TestModels.RepositoryRoot, "models", "tiny-shapes"));

        var result = await generator.GenerateAsync(new GenerationBatch("m", 64, 64, 1, 1, [new("a red circle", "", 1)]), null, CancellationToken.None);

        Assert.Equal(NoiseSources.RenderFarm, result.Noise);
    }

    [Fact]
    public async Task An_unknown_noise_is_refused_by_name()
    {
        using var generator = Generator(TestModels.Fixture("tiny-sd-turbo"));
        var folder = TestModels.CopyFixture("tiny-sd-turbo");
        File.WriteAllText(Path.Combine(folder, "renderfarm.json"), """{ "Noise": "gpu" }""");
        using var badFolder = Generator(folder);

        var job = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(Batch("cuda"), null, CancellationToken.None));
        var model = await Assert.ThrowsAsync<InvalidDataException>(() => badFolder.GenerateAsync(Batch(null), null, CancellationToken.None));

        Assert.Contains("Noise must be one of torch-cpu, renderfarm (got 'cuda')", job.Message, StringComparison.Ordinal);
        Assert.Contains("renderfarm.json: Noise must be one of torch-cpu, renderfarm", model.Message, StringComparison.Ordinal);
    }
}

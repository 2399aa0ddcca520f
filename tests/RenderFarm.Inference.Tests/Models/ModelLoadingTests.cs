using System.Text.Json.Nodes;
using RenderFarm.Core.Generation;

namespace RenderFarm.Inference.Tests.Models;

public sealed class ModelLoadingTests
{
    private static async Task<GenerationResult> Render(string folder)
    {
        using var generator = TestModels.Generator(("broken", folder));
        return await generator.GenerateAsync(TestModels.Batch("broken", 64, 1, 0, 1), null, CancellationToken.None);
    }

    [Theory]
    [InlineData("unet/model.onnx")]
    [InlineData("vae_decoder/model.onnx")]
    [InlineData("text_encoder/model.onnx")]
    [InlineData("model_index.json")]
    [InlineData("scheduler/scheduler_config.json")]
    public async Task A_missing_file_is_named_in_the_error(string file)
    {
        var folder = TestModels.CopyFixture("tiny-sd");
        File.Delete(Path.Combine(folder, file));

        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => Render(folder));
        Assert.Contains(Path.Combine(folder, file), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_tokenizer_is_named_in_the_error()
    {
        var folder = TestModels.CopyFixture("tiny-sd");
        File.Delete(Path.Combine(folder, "tokenizer", "merges.txt"));

        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => Render(folder));
        Assert.Contains(Path.Combine(folder, "tokenizer"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_second_sdxl_encoder_is_required()
    {
        var folder = TestModels.CopyFixture("tiny-sdxl");
        File.Delete(Path.Combine(folder, "text_encoder_2", "model.onnx"));

        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => Render(folder));
        Assert.Contains(Path.Combine("text_encoder_2", "model.onnx"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_pipeline_class_is_rejected_by_name()
    {
        var folder = TestModels.CopyFixture("tiny-sd");
        var indexPath = Path.Combine(folder, "model_index.json");
        var index = JsonNode.Parse(File.ReadAllText(indexPath))!;
        index["_class_name"] = "KandinskyV22Pipeline";
        File.WriteAllText(indexPath, index.ToJsonString());

        var e = await Assert.ThrowsAsync<NotSupportedException>(() => Render(folder));
        Assert.Contains("KandinskyV22Pipeline", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_graph_with_the_wrong_input_names_is_rejected_naming_them()
    {
        var folder = TestModels.CopyFixture("tiny-sd");
        // A VAE decoder where the unet should be: inputs latent_sample instead of sample/timestep/encoder_hidden_states.
        File.Copy(Path.Combine(folder, "vae_decoder", "model.onnx"), Path.Combine(folder, "unet", "model.onnx"), overwrite: true);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => Render(folder));
        Assert.Contains(Path.Combine("unet", "model.onnx"), e.Message, StringComparison.Ordinal);
        Assert.Contains("'timestep'", e.Message, StringComparison.Ordinal);
        Assert.Contains("latent_sample", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_model_can_load_once_it_is_fixed()
    {
        var folder = TestModels.CopyFixture("tiny-sd");
        var unet = Path.Combine(folder, "unet", "model.onnx");
        var saved = unet + ".bak";
        File.Move(unet, saved);
        using var generator = TestModels.Generator(("fixme", folder));
        var batch = TestModels.Batch("fixme", 64, 1, 0, 1);

        await Assert.ThrowsAsync<FileNotFoundException>(() => generator.GenerateAsync(batch, null, CancellationToken.None));
        File.Move(saved, unet);
        var result = await generator.GenerateAsync(batch, null, CancellationToken.None);

        Assert.Single(result.Images);
    }

    [Fact]
    public async Task The_scheduler_override_changes_the_sampler()
    {
        using var generator = new OnnxImageGenerator(Microsoft.Extensions.Options.Options.Create(new InferenceOptions
        {
            Models = [new InferenceModelOptions { Name = "dpm", Path = TestModels.Fixture("tiny-sd"), Scheduler = "dpm++2m-karras" }],
        }));

        var result = await generator.GenerateAsync(TestModels.Batch("dpm", 64, 3, 0, 1), null, CancellationToken.None);

        Assert.Equal("DPM++ 2M Karras", result.Sampler);
    }

    [Theory]
    [InlineData("euler-a", "Euler a")]
    [InlineData("lcm", "LCM")]
    [InlineData("dpm++2m", "DPM++ 2M")]
    public async Task Every_sampler_renders_through_the_sd_pipeline(string key, string sampler)
    {
        using var generator = new OnnxImageGenerator(Microsoft.Extensions.Options.Options.Create(new InferenceOptions
        {
            Models = [new InferenceModelOptions { Name = "m", Path = TestModels.Fixture("tiny-sd"), Scheduler = key }],
        }));

        var result = await generator.GenerateAsync(TestModels.Batch("m", 64, 4, 3, 1, 2), null, CancellationToken.None);

        Assert.Equal(sampler, result.Sampler);
        Assert.All(result.Images, i => Assert.True(i.Rgb.Distinct().Count() > 16));
    }

    [Fact]
    public void Only_models_whose_folder_exists_are_offered()
    {
        using var generator = TestModels.Generator(("here", TestModels.Fixture("tiny-sd")), ("gone", "/nonexistent/model"));

        Assert.Equal(["here"], generator.Models);
    }
}

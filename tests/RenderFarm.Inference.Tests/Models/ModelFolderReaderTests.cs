using Microsoft.Extensions.Options;
using RenderFarm.Core.Generation;
using RenderFarm.Inference.Models;

namespace RenderFarm.Inference.Tests.Models;

public sealed class ModelFolderReaderTests
{
    private static string ShippedModel => Path.Combine(TestModels.RepositoryRoot, "models", "tiny-shapes");

    [Fact]
    public void Renderfarm_json_gives_the_size_and_sampling_the_model_is_made_for()
    {
        var model = ModelFolderReader.Read(ShippedModel, "tiny-shapes").Advertisement;

        Assert.Equal(("tiny-shapes", "stable-diffusion", "euler"), (model.Name, model.Family, model.Sampler));
        Assert.Equal((128, 128, 4, 1.0), (model.DefaultWidth, model.DefaultHeight, model.DefaultSteps, model.DefaultGuidance));
        // What the file leaves out comes from the family.
        Assert.Equal((8, 64, 2048), (model.SizeMultiple, model.MinSize, model.MaxSize));
    }

    [Theory]
    [InlineData("tiny-zimage", "z-image", 16, 1024, 8, 0.0)]
    [InlineData("tiny-sdxl", "stable-diffusion-xl", 8, 1024, 20, 5.0)]
    [InlineData("tiny-lcm", "stable-diffusion", 8, 512, 4, 1.0)]
    [InlineData("tiny-sd", "stable-diffusion", 8, 512, 20, 7.5)]
    public void Without_renderfarm_json_the_family_defaults_apply(string fixture, string family, int multiple, int size, int steps, double guidance)
    {
        var model = ModelFolderReader.Read(TestModels.Fixture(fixture), fixture).Advertisement;

        Assert.Equal((family, multiple, size, size, steps, guidance), (model.Family, model.SizeMultiple, model.DefaultWidth, model.DefaultHeight, model.DefaultSteps, model.DefaultGuidance));
    }

    [Fact]
    public void Copies_of_a_model_share_an_identity_and_other_weights_do_not()
    {
        var copy = TestModels.CopyModel(ShippedModel);
        File.SetLastWriteTimeUtc(Path.Combine(copy, "unet", "model.onnx"), DateTime.UtcNow.AddDays(-3));
        var original = ModelFolderReader.ComputeIdentity(ShippedModel);

        Assert.Equal(original, ModelFolderReader.ComputeIdentity(copy));

        var weights = Path.Combine(copy, "unet", "model.onnx");
        var bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);
        Assert.NotEqual(original, ModelFolderReader.ComputeIdentity(copy));
    }

    [Fact]
    public void Large_files_are_sampled_yet_a_change_in_a_sample_changes_the_identity()
    {
        var folder = TestModels.CopyModel(ShippedModel);
        var weights = Path.Combine(folder, "unet", "model.onnx_data");
        var data = new byte[3 << 20];
        new Random(1).NextBytes(data);
        File.WriteAllBytes(weights, data);
        var before = ModelFolderReader.ComputeIdentity(folder);

        data[^10] ^= 0xFF;
        File.WriteAllBytes(weights, data);

        Assert.NotEqual(before, ModelFolderReader.ComputeIdentity(folder));
    }

    [Theory]
    [InlineData("""{ "DefaultWidth": 100 }""", "multiple of 8")]
    [InlineData("""{ "MinSize": 512, "MaxSize": 256 }""", "MinSize")]
    [InlineData("""{ "DefaultStpes": 4 }""", "DefaultStpes")]
    [InlineData("""{ "DefaultSteps": "four" }""", "DefaultSteps")]
    public void A_bad_renderfarm_json_is_refused_naming_the_file_and_the_fault(string json, string named)
    {
        var folder = TestModels.CopyModel(ShippedModel);
        File.WriteAllText(Path.Combine(folder, ModelFolderReader.SettingsFile), json);

        var e = Assert.Throws<InvalidDataException>(() => ModelFolderReader.Read(folder, "m"));

        Assert.Contains(Path.Combine(folder, ModelFolderReader.SettingsFile), e.Message, StringComparison.Ordinal);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scan_finds_model_folders_by_name_and_skips_the_rest_saying_why()
    {
        var root = Directory.CreateTempSubdirectory("renderfarm-root-").FullName;
        Copy(TestModels.Fixture("tiny-zimage"), Path.Combine(root, "zimage"));
        Copy(ShippedModel, Path.Combine(root, "shapes"));
        Copy(ShippedModel, Path.Combine(root, "Bad Name"));
        Directory.CreateDirectory(Path.Combine(root, "notes"));
        var skipped = new List<string>();

        var found = ModelFolderReader.Scan(root, (folder, _) => skipped.Add(Path.GetFileName(folder)));

        Assert.Equal(["shapes", "zimage"], found.Select(f => f.Name));
        Assert.Equal(["Bad Name"], skipped);
        Assert.Equal(16, found[1].Advertisement.SizeMultiple);
    }

    [Fact]
    public async Task The_engine_offers_a_folder_added_to_its_root_after_a_rescan_and_says_when_a_model_is_loaded()
    {
        var root = Directory.CreateTempSubdirectory("renderfarm-root-").FullName;
        Copy(TestModels.Fixture("tiny-sd-turbo"), Path.Combine(root, "turbo"));
        using var generator = new OnnxImageGenerator(Options.Create(new InferenceOptions { ModelsRoot = root, IntraOpThreads = 1 }));
        IImageGenerator engine = generator;
        Assert.Equal(["turbo"], engine.Models);
        Assert.False(engine.Rescan());

        Copy(ShippedModel, Path.Combine(root, "shapes"));
        Assert.True(engine.Rescan());
        Assert.Equal(["shapes", "turbo"], engine.Models);

        await engine.GenerateAsync(TestModels.Batch("shapes", 64, 1, 0, 1), null, CancellationToken.None);
        Assert.Equal([("shapes", true, 128), ("turbo", false, 512)], engine.Catalog.Select(m => (m.Name, m.Loaded, m.DefaultWidth)));
    }

    private static void Copy(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest);
        }
    }
}

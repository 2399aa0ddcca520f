using RenderFarm.Core.Generation;

namespace RenderFarm.Inference.Tests.Export;

/// <summary>
/// tools/export-onnx/adopt_webnn_zimage.py arranges the WebNN export's own layout (onnx/*_model_q4f16.onnx with
/// external data, tokenizer/, no model_index.json) as a model folder: a bundle laid out that way from
/// tiny-zimage-webnn's graphs renders tiny-zimage-webnn's images.
/// </summary>
public sealed class WebNnBundleTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "renderfarm-tests", $"webnn-bundle-{Guid.NewGuid():N}");

    [TorchFact]
    public async Task A_bundle_in_the_webnn_layout_renders_what_the_fixture_renders()
    {
        var fixture = TestModels.Fixture("tiny-zimage-webnn");
        var bundle = Path.Combine(_root, "bundle");
        Directory.CreateDirectory(Path.Combine(bundle, "onnx"));
        foreach (var part in new[] { "text_encoder", "transformer", "vae_decoder" })
        {
            File.Copy(Path.Combine(fixture, part, "model.onnx"), Path.Combine(bundle, "onnx", $"{part}_model_q4f16.onnx"));
        }

        CopyFolder(Path.Combine(fixture, "tokenizer"), Path.Combine(bundle, "tokenizer"));
        var adopted = Path.Combine(_root, "adopted");

        DebianPython.Run(DebianPython.Tool("adopt_webnn_zimage.py"), bundle, adopted);

        using var generator = TestModels.Generator(("fixture", fixture), ("adopted", adopted));
        GenerationItem[] items = [new("a cat", "", 11), new("the thing", "", 12)];
        var expected = await generator.GenerateAsync(new GenerationBatch("fixture", 32, 32, 2, 0, items), null, CancellationToken.None);
        var actual = await generator.GenerateAsync(new GenerationBatch("adopted", 32, 32, 2, 0, items), null, CancellationToken.None);
        Assert.Equal(expected.Images.Select(i => i.Rgb), actual.Images.Select(i => i.Rgb));
    }

    [TorchFact]
    public void A_bundle_without_its_onnx_folder_is_refused_naming_it()
    {
        var bundle = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;

        var error = DebianPython.RunFailing(DebianPython.Tool("adopt_webnn_zimage.py"), bundle, Path.Combine(_root, "out"));

        Assert.Contains($"bundle: {Path.Combine(bundle, "onnx")} not found", error);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static void CopyFolder(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }
}

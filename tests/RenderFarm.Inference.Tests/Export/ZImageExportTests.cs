using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RenderFarm.Core.Generation;
using static RenderFarm.Inference.Tests.Pipelines.StableDiffusionGeneratorTests;

namespace RenderFarm.Inference.Tests.Export;

/// <summary>
/// tools/export-onnx/export_zimage.py on a tiny checkpoint with the official state-dict names: the exported
/// graphs compute what the torch modules they came from compute (the transformer following diffusers' algorithm item by
/// item, with captions of 7 and 33 tokens and a latent shape the graph was not traced with), the exported folder
/// renders, and a checkpoint that does not fit is refused by name.
/// </summary>
public sealed class ZImageExportTests(TinyZImageExport export) : IClassFixture<TinyZImageExport>
{
    [TorchTheory]
    [InlineData("transformer")]
    [InlineData("text_encoder")]
    [InlineData("vae_decoder")]
    public void An_exported_graph_computes_what_its_torch_module_computes(string part)
    {
        var reference = export.Reference(part);
        using var session = new InferenceSession(Path.Combine(export.Folder, part, "model.onnx"));
        var inputs = reference.GetProperty("inputs").EnumerateObject().Select(i => Input(i.Name, i.Value)).ToList();

        using var results = session.Run(inputs);

        foreach (var output in reference.GetProperty("outputs").EnumerateObject())
        {
            var expected = output.Value.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            var actual = results.Single(r => r.Name == output.Name).AsEnumerable<float>().ToArray();
            Assert.Equal(expected.Length, actual.Length);
            var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(worst <= 1e-4, $"{part}/{output.Name}: largest difference {worst}");
            Assert.True(expected.Select(Math.Abs).Average() > 0.05, "the reference output must not be near zero, or the comparison proves nothing");
        }
    }

    [TorchFact]
    public async Task The_exported_folder_renders_in_the_engine_with_guidance_and_prompts_of_different_lengths()
    {
        using var generator = TestModels.Generator(("tiny-export", export.Folder));
        var batch = new GenerationBatch("tiny-export", 64, 64, 3, 2.0, [new("a cat", "the", 3), new("a cat, the thing, the cat", "", 4)]);

        var result = await generator.GenerateAsync(batch, null, CancellationToken.None);

        Assert.Equal(2, result.Images.Count);
        Assert.All(result.Images, i => Assert.Equal(64 * 64 * 3, i.Rgb.Length));
        Assert.All(result.Images, i => Assert.True(i.Rgb.Distinct().Count() > 16, "a flat image means the export or the engine lost the signal"));
        Assert.True(MeanAbsoluteDifference(result.Images[0].Rgb, result.Images[1].Rgb) > 1.0);
    }

    [TorchFact]
    public void A_checkpoint_whose_names_differ_from_the_model_is_refused_naming_the_tensor()
    {
        var checkpoint = TestModels.CopyModel(export.Checkpoint);
        RenameTensor(ShardHolding(checkpoint, "x_pad_token"), "x_pad_token", "x_pad_tokeX");

        var error = DebianPython.RunFailing(DebianPython.Tool("export_zimage.py"), checkpoint, Path.Combine(checkpoint, "out"), "--parts", "transformer");

        Assert.Contains("transformer: the checkpoint does not match the model: missing ['x_pad_token'], unexpected ['x_pad_tokeX']", error);
    }

    private static NamedOnnxValue Input(string name, JsonElement tensor)
    {
        var shape = tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        var data = tensor.GetProperty("data").EnumerateArray();
        return tensor.GetProperty("dtype").GetString() switch
        {
            "float32" => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(data.Select(v => v.GetSingle()).ToArray(), shape)),
            "int64" => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(data.Select(v => v.GetInt64()).ToArray(), shape)),
            "bool" => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<bool>(data.Select(v => v.GetBoolean()).ToArray(), shape)),
            var other => throw new NotSupportedException($"{name}: dtype {other}"),
        };
    }

    /// <summary>The shard of the transformer that holds <paramref name="tensor"/>, by the checkpoint's index.</summary>
    private static string ShardHolding(string checkpoint, string tensor)
    {
        var folder = Path.Combine(checkpoint, "transformer");
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "diffusion_pytorch_model.safetensors.index.json")))!;
        return Path.Combine(folder, (string)index["weight_map"]![tensor]!);
    }

    /// <summary>Renames a tensor in a safetensors header (same-length names keep every offset).</summary>
    private static void RenameTensor(string path, string from, string to)
    {
        var bytes = File.ReadAllBytes(path);
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, length))!.AsObject();
        var entry = header[from]!;
        header.Remove(from);
        header[to] = entry;
        var renamed = Encoding.UTF8.GetBytes(header.ToJsonString().PadRight(length));
        Assert.Equal(length, renamed.Length);
        renamed.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
    }
}

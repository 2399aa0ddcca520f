using Microsoft.Extensions.Options;
using RenderFarm.Inference.Models;

namespace RenderFarm.Inference.Tests.Models;

/// <summary>Inference:ModelMemoryBudgetBytes over real sessions of the tiny fixtures: least recently used out first, never one in use.</summary>
public sealed class ModelEvictionTests
{
    private static readonly string[] Fixtures = ["tiny-sd", "tiny-lcm", "tiny-sd-turbo"];

    [Fact]
    public void A_model_size_counts_its_external_data()
    {
        var folder = TestModels.Fixture("tiny-sd-external");
        var data = new FileInfo(Path.Combine(folder, "unet", "model.onnx_data")).Length;
        var graphs = Directory.EnumerateFiles(folder, "model.onnx", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

        Assert.True(data > 0);
        Assert.InRange(ModelLoader.EstimateBytes(folder), graphs + data, graphs + data + 4096);
    }

    [Fact]
    public void Without_a_budget_every_loaded_model_stays()
    {
        using var engine = Engine(budget: 0);

        foreach (var name in Fixtures)
        {
            engine.Preload(name);
        }

        Assert.All(Fixtures, name => Assert.True(engine.IsLoaded(name), $"{name} was unloaded"));
    }

    [Fact]
    public async Task Beyond_the_budget_the_least_recently_used_model_is_unloaded_first()
    {
        // Room for any two of the three.
        using var engine = Engine(Fixtures.Sum(f => ModelLoader.EstimateBytes(TestModels.Fixture(f))) - 1);
        engine.Preload("tiny-sd");
        engine.Preload("tiny-lcm");
        await engine.GenerateAsync(TestModels.Batch("tiny-sd", 64, 2, 0, 1), null, CancellationToken.None);

        engine.Preload("tiny-sd-turbo");
        Assert.Equal([true, false, true], Fixtures.Select(engine.IsLoaded));

        engine.Preload("tiny-lcm");
        Assert.Equal([false, true, true], Fixtures.Select(engine.IsLoaded));
        Assert.Equal(["tiny-lcm", "tiny-sd-turbo"], engine.Catalog.Where(m => m.Loaded).Select(m => m.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_model_a_batch_is_rendering_with_is_not_unloaded()
    {
        using var engine = Engine(Fixtures.Sum(f => ModelLoader.EstimateBytes(TestModels.Fixture(f))) - 1);
        using var inEngine = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        var progress = new RecordingProgress(_ =>
        {
            inEngine.Set();
            proceed.Wait(TimeSpan.FromSeconds(30));
        });
        var rendering = engine.GenerateAsync(TestModels.Batch("tiny-sd", 64, 2, 0, 1), progress, CancellationToken.None);
        Assert.True(inEngine.Wait(TimeSpan.FromSeconds(30)), "the batch never reached the engine");

        // tiny-sd is the least recently used, but in use: tiny-lcm makes room instead.
        engine.Preload("tiny-lcm");
        engine.Preload("tiny-sd-turbo");
        Assert.Equal([true, false, true], Fixtures.Select(engine.IsLoaded));

        proceed.Set();
        var result = await rendering;
        Assert.Single(result.Images);
    }

    [Fact]
    public async Task An_unloaded_model_loads_again_and_renders_the_same_image()
    {
        // Room for one model at a time.
        using var engine = Engine(Fixtures.Max(f => ModelLoader.EstimateBytes(TestModels.Fixture(f))));
        var batch = TestModels.Batch("tiny-sd", 64, 3, 0, 42);
        var before = await engine.GenerateAsync(batch, null, CancellationToken.None);

        engine.Preload("tiny-lcm");
        Assert.False(engine.IsLoaded("tiny-sd"));
        var after = await engine.GenerateAsync(batch, null, CancellationToken.None);

        Assert.True(engine.IsLoaded("tiny-sd"));
        Assert.False(engine.IsLoaded("tiny-lcm"));
        Assert.Equal(before.Images[0].Rgb, after.Images[0].Rgb);
    }

    private static OnnxImageGenerator Engine(long budget) =>
        new(Options.Create(new InferenceOptions
        {
            Models = [.. Fixtures.Select(f => new InferenceModelOptions { Name = f, Path = TestModels.Fixture(f) })],
            IntraOpThreads = 1,
            ModelMemoryBudgetBytes = budget,
        }));
}

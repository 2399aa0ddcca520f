using Microsoft.Extensions.Options;
using RenderFarm.Core.Generation;

namespace RenderFarm.Inference.Tests;

/// <summary>Finds the committed tiny fixtures and builds generators over them, exactly as a worker would.</summary>
internal static class TestModels
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Fixture(string name) => Path.Combine(RepositoryRoot, "tests", "fixtures", "models", name);

    public static OnnxImageGenerator Generator(params (string Name, string Path)[] models) =>
        new(Options.Create(new InferenceOptions
        {
            Models = [.. models.Select(m => new InferenceModelOptions { Name = m.Name, Path = m.Path })],
            IntraOpThreads = 1,
        }));

    public static OnnxImageGenerator Generator(string fixture) => Generator((fixture, Fixture(fixture)));

    public static GenerationBatch Batch(string model, int size, int steps, double guidance, params long[] seeds) =>
        new(model, size, size, steps, guidance, [.. seeds.Select(s => new GenerationItem($"a red cat {s % 3}", "blue dog", s))]);

    /// <summary>Copies a fixture to a temporary folder so a test can break it.</summary>
    public static string CopyFixture(string name) => CopyModel(Fixture(name));

    /// <summary>Copies a model folder to a temporary folder so a test can break it.</summary>
    public static string CopyModel(string source)
    {
        var target = Path.Combine(Path.GetTempPath(), "renderfarm-tests", $"{Path.GetFileName(source)}-{Guid.NewGuid():N}");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest);
        }

        return target;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RenderFarm.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("RenderFarm.sln not found above the test binaries.");
    }
}

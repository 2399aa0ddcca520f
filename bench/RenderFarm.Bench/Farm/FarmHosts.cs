using System.Runtime.InteropServices;

namespace RenderFarm.Bench.Farm;

/// <summary>
/// The programs a farm run starts: the coordinator's folder, and the assembly whose <c>farm-worker</c> command hosts
/// a worker (the bench itself: the worker's composition with a fake engine).
/// </summary>
public sealed record FarmHosts(string CoordinatorFolder, string WorkerAssembly)
{
    /// <summary>The build folders (<c>dotnet build</c>, the bench's own configuration): every process compiles its code as it runs.</summary>
    public static FarmHosts Built(string root) =>
        new(BuildFolder(root, "RenderFarm.Coordinator"), typeof(FarmHosts).Assembly.Location);

    /// <summary>
    /// Published as deploy/*.Dockerfile publish the coordinator and worker images (Release, framework-dependent, the
    /// ReadyToRun code their projects ask for), into bench/RenderFarm.Bench/bin/published, so that what is measured is
    /// what ships. For the current runtime identifier: the RID-specific build then leaves the build folders, which the
    /// running bench loads from, alone.
    /// </summary>
    public static async Task<FarmHosts> PublishAsync(string root, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(root, "bench", "RenderFarm.Bench", "bin", "published");
        Console.Error.WriteLine($"bench: publishing the coordinator and the bench's worker host into {folder} (ReadyToRun; minutes the first time)");
        var coordinator = Path.Combine(folder, "coordinator");
        var bench = Path.Combine(folder, "bench");
        await PublishAsync(Path.Combine(root, "src", "RenderFarm.Coordinator"), coordinator, cancellationToken);
        await PublishAsync(Path.Combine(root, "bench", "RenderFarm.Bench"), bench, cancellationToken);
        return new(coordinator, Path.Combine(bench, "RenderFarm.Bench.dll"));
    }

    private static Task PublishAsync(string project, string output, CancellationToken cancellationToken) => ToolRun.RunAsync(
        "dotnet",
        ["publish", project, "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false", "-p:UseAppHost=false", "-o", output, "--nologo", "-v", "quiet"],
        $"dotnet publish {project}",
        cancellationToken);

    /// <summary>A project's build folder of the bench's own configuration and framework (bin/Release/net10.0), so it runs what was built alongside.</summary>
    private static string BuildFolder(string root, string project) => Path.Combine(root, "src", project, "bin", BuildConfiguration, TargetFramework);

    private static string BuildConfiguration => Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)))!;

    private static string TargetFramework => Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
}

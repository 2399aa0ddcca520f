namespace RenderFarm.Bench.Farm;

/// <summary>Runs one of the repository's own scripts (<c>scripts/NAME</c>) the way the tests and users do.</summary>
public static class RepositoryScript
{
    public static Task RunAsync(string root, string name, CancellationToken cancellationToken, params string[] arguments) =>
        ToolRun.RunAsync("bash", [Path.Combine(root, "scripts", name), .. arguments], $"scripts/{name} {string.Join(' ', arguments)}", cancellationToken);
}

using System.Diagnostics;

namespace RenderFarm.Bench.Farm;

/// <summary>Runs one of the repository's own scripts (<c>scripts/NAME</c>) the way the tests and users do.</summary>
public static class RepositoryScript
{
    public static async Task RunAsync(string root, string name, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { ArgumentList = { Path.Combine(root, "scripts", name) } };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var script = Process.Start(start)!;
        // Never abandon a script halfway (a server start left running would outlive the stop that follows); they are bounded.
        await script.WaitForExitAsync(CancellationToken.None);
        cancellationToken.ThrowIfCancellationRequested();
        if (script.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/{name} {string.Join(' ', arguments)} exited with {script.ExitCode}.");
        }
    }
}

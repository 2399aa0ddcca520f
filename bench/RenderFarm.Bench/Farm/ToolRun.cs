using System.Diagnostics;

namespace RenderFarm.Bench.Farm;

/// <summary>Runs a tool the bench needs done before it goes on (a repository script, <c>dotnet publish</c>), its output on the bench's own.</summary>
public static class ToolRun
{
    /// <param name="description">Names the run in the error when it fails.</param>
    public static async Task RunAsync(string fileName, IEnumerable<string> arguments, string description, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(fileName);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var tool = Process.Start(start)!;
        // Never abandon a run halfway (a server start left running would outlive the stop that follows); they are bounded.
        await tool.WaitForExitAsync(CancellationToken.None);
        cancellationToken.ThrowIfCancellationRequested();
        if (tool.ExitCode != 0)
        {
            throw new InvalidOperationException($"{description} exited with {tool.ExitCode}.");
        }
    }
}

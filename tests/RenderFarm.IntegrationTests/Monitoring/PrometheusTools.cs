using System.Diagnostics;

namespace RenderFarm.IntegrationTests.Monitoring;

/// <summary>Debian's <c>prometheus</c> package (<c>prometheus</c>, <c>promtool</c>), installed by scripts/check-prometheus.sh.</summary>
public static class PrometheusTools
{
    private static readonly string[] Folders = ["/usr/bin", "/usr/local/bin", "/bin"];

    /// <summary>The path of one of the package's programs; a missing one fails the test with how to get it.</summary>
    public static string Find(string program) =>
        Folders.Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{program} is not installed: run scripts/check-prometheus.sh (Debian's prometheus package), as scripts/test.sh does first.");

    /// <summary>Runs promtool with <paramref name="arguments"/>; returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> PromtoolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Find("promtool")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}

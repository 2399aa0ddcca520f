using System.Diagnostics;

namespace RenderFarm.Bench.Farm;

/// <summary>A process the bench started, its output going to a log file; stopped like a deployment stops it (SIGTERM), killed if it lingers.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(15);
    private readonly Process _process;

    private ChildProcess(string name, string logFile, Process process)
    {
        Name = name;
        LogFile = logFile;
        _process = process;
    }

    public string Name { get; }

    public string LogFile { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <param name="environment">Added to the bench's own environment.</param>
    public static ChildProcess Start(
        string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, string logFile)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);

        // The shell only redirects and then becomes the program (exec), so the pid is the program's and the bench
        // spends nothing on copying its output.
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            ArgumentList = { "-c", "log=$1; shift; exec \"$@\" </dev/null >\"$log\" 2>&1", "sh", logFile, fileName },
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new ChildProcess(name, logFile, Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}."));
    }

    /// <summary>Waits for the process to end by itself (a command, not a host).</summary>
    /// <returns>Its exit code.</returns>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as a container runtime or systemd sends it; hosts then shut down gracefully.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!)
        {
            await kill.WaitForExitAsync();
        }

        using var grace = new CancellationTokenSource(GracePeriod);
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"bench: {Name} did not stop within {GracePeriod.TotalSeconds:F0} s of SIGTERM; killing it");
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGKILL (<c>kill -9</c>): the process ends at once, without any of its shutdown code.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>The last lines of its log, for an error message.</summary>
    public string Tail(int lines = 30) =>
        File.Exists(LogFile) ? string.Join(Environment.NewLine, File.ReadLines(LogFile).TakeLast(lines)) : "(no log)";

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}

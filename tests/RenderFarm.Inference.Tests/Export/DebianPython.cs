using System.Diagnostics;

namespace RenderFarm.Inference.Tests.Export;

/// <summary>Debian's interpreter with python3-torch and python3-onnx, which tools/export-onnx needs (the pyenv python3 on PATH has no torch).</summary>
internal static class DebianPython
{
    private const string Interpreter = "/usr/bin/python3";

    private static readonly Lazy<string?> Unavailable = new(FindUnavailable);

    /// <summary>Why the export tools cannot run on this machine, or null when they can.</summary>
    public static string? WhyUnavailable => Unavailable.Value;

    /// <summary>A script of tools/export-onnx.</summary>
    public static string Tool(string name) => Path.Combine(TestModels.RepositoryRoot, "tools", "export-onnx", name);

    /// <summary>Runs a script to completion and returns its standard output; a non-zero exit throws with both streams.</summary>
    public static string Run(string script, params string[] arguments)
    {
        var (exit, output, error) = Execute([script, .. arguments]);
        return exit == 0
            ? output
            : throw new InvalidOperationException($"{Interpreter} {Path.GetFileName(script)} {string.Join(' ', arguments)} exited with {exit}:\n{error}\n{output}");
    }

    /// <summary>Runs a script that is expected to fail and returns its standard error.</summary>
    public static string RunFailing(string script, params string[] arguments) => RunFailingOnPath(null, script, arguments);

    /// <summary>Runs a script that is expected to fail, with <paramref name="searchPath"/> as its PATH, and returns its standard error.</summary>
    public static string RunFailingOnPath(string? searchPath, string script, params string[] arguments)
    {
        var (exit, _, error) = Execute([script, .. arguments], searchPath);
        return exit != 0 ? error : throw new InvalidOperationException($"{Path.GetFileName(script)} succeeded where it should have failed.");
    }

    private static (int Exit, string Output, string Error) Execute(IReadOnlyList<string> arguments, string? searchPath = null)
    {
        var start = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (searchPath is not null)
        {
            start.Environment["PATH"] = searchPath;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Interpreter} did not start.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    private static string? FindUnavailable()
    {
        if (!File.Exists(Interpreter))
        {
            return $"{Interpreter} not found (the export tools need Debian's python3 with python3-torch and python3-onnx).";
        }

        var (exit, _, error) = Execute(["-c", "import torch, onnx"]);
        return exit == 0 ? null : $"{Interpreter} cannot import torch and onnx (apt install python3-torch python3-onnx): {error.Trim()}";
    }
}

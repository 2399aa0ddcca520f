using Spectre.Console;

namespace RenderFarm.IntegrationTests.Farm;

/// <summary>A console for the CLI whose output the test can read.</summary>
public sealed class CapturedConsole : IDisposable
{
    private readonly StringWriter _writer = new();

    public CapturedConsole() =>
        Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_writer), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });

    public IAnsiConsole Console { get; }

    public string Text => _writer.ToString();

    public void Dispose() => _writer.Dispose();
}

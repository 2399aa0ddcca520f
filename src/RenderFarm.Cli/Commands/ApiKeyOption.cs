using System.CommandLine;

namespace RenderFarm.Cli.Commands;

/// <summary>
/// <c>--api-key</c>, on every command (a farm answers 401 without one); <c>RENDERFARM_API_KEY</c> when not given, so
/// the key need not appear in shell history or process lists.
/// </summary>
internal static class ApiKeyOption
{
    public const string Name = "--api-key";
    public const string EnvironmentVariable = "RENDERFARM_API_KEY";

    public static Option<string?> Create() => new(Name)
    {
        Description = $"The API key to show the coordinator (default: ${EnvironmentVariable}). The embedded farm needs none.",
        Recursive = true,
    };

    public static string? Read(ParseResult parse) =>
        parse.GetValue<string?>(Name) is { Length: > 0 } key ? key : Environment.GetEnvironmentVariable(EnvironmentVariable);
}

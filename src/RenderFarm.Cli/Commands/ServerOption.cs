using System.CommandLine;
using System.CommandLine.Parsing;

namespace RenderFarm.Cli.Commands;

/// <summary><c>--server URL</c>: the coordinator a command talks to.</summary>
internal static class ServerOption
{
    public static Option<Uri> Required() => new("--server")
    {
        Description = "The coordinator's URL, e.g. http://coordinator:8080 (schedules live on a farm).",
        Required = true,
        CustomParser = Parse,
    };

    /// <summary>For commands that run on the embedded farm unless told otherwise.</summary>
    public static Option<Uri?> Optional(string description) => new("--server")
    {
        Description = description,
        CustomParser = Parse,
    };

    private static Uri? Parse(ArgumentResult result)
    {
        var value = result.Tokens.Single().Value;
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        result.AddError($"--server: '{value}' is not an http(s) URL such as http://coordinator:8080.");
        return null;
    }
}

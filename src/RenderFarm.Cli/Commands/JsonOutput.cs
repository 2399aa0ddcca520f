using System.CommandLine;
using System.Text.Json;

namespace RenderFarm.Cli.Commands;

/// <summary>
/// <c>--json</c>: machine-readable output for scripts, written straight to standard output rather than through the
/// console renderer, which would wrap long lines at the terminal's width.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Option<bool> Create() => new("--json") { Description = "Print the result as JSON, for scripts." };

    public static void Write(TextWriter output, object value)
    {
        output.WriteLine(JsonSerializer.Serialize(value, value.GetType(), Options));
        output.Flush();
    }
}

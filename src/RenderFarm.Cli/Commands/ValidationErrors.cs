using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary>Prints the API's validation errors against the options the user typed.</summary>
internal static class ValidationErrors
{
    /// <returns>The exit code for input the farm rejected.</returns>
    public static int Print(IAnsiConsole console, IEnumerable<KeyValuePair<string, string[]>> errors, Func<string, string> optionName)
    {
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages)
            {
                console.MarkupLineInterpolated($"[red]error[/] {optionName(field)}: {message}");
            }
        }

        return 2;
    }
}

using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary>Runs a command against a farm, turning a farm that cannot be reached (or fails) into a message and its exit code.</summary>
internal static class FarmCall
{
    public static async Task<int> RunAsync(IAnsiConsole console, Uri server, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (HttpRequestException e)
        {
            console.MarkupLineInterpolated($"[red]error[/] the farm at {server} failed: {e.Message}");
            return ExitCodes.FarmError;
        }
    }
}

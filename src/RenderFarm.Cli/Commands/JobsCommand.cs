using System.CommandLine;
using RenderFarm.Cli.Farms;
using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary><c>renderfarm jobs list|show|cancel|retry|download</c>, against a coordinator given by <c>--server</c>.</summary>
internal sealed class JobsCommand : Command
{
    public JobsCommand(Func<Uri, string?, RemoteJobsClient> connect, IAnsiConsole console, TextWriter output)
        : base("jobs", "Jobs on a farm: list, show, cancel, retry failed images, download images.")
    {
        Subcommands.Add(new JobsListCommand(connect, console, output));
        Subcommands.Add(new JobShowCommand(connect, console, output));
        Subcommands.Add(new JobActionCommand("cancel", "Cancel a queued, running or paused job; images already rendered stay.", (farm, id, ct) => farm.CancelAsync(id, ct), connect, console, output));
        Subcommands.Add(new JobActionCommand("retry", "Render the failed images of a job that finished completed_with_errors or failed again.", (farm, id, ct) => farm.RetryAsync(id, ct), connect, console, output));
        Subcommands.Add(new JobDownloadCommand(connect, console, output));
    }
}

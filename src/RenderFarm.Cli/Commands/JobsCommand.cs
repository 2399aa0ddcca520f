using System.CommandLine;
using RenderFarm.Cli.Farms;
using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary><c>renderfarm jobs list|show|cancel|pause|resume|priority|retry|download</c>, against a coordinator given by <c>--server</c>.</summary>
internal sealed class JobsCommand : Command
{
    public JobsCommand(Func<Uri, string?, RemoteJobsClient> connect, IAnsiConsole console, TextWriter output)
        : base("jobs", "Jobs on a farm: list, show, cancel, pause, resume, change priority, retry failed images, download images.")
    {
        Subcommands.Add(new JobsListCommand(connect, console, output));
        Subcommands.Add(new JobShowCommand(connect, console, output));
        Subcommands.Add(new JobActionCommand("cancel", "Cancel a queued, running or paused job; images already rendered stay.", (farm, id, _, ct) => farm.CancelAsync(id, ct), connect, console, output));
        Subcommands.Add(new JobActionCommand("pause", "Pause a queued or running job: nothing more is dispatched; images on workers finish.", (farm, id, _, ct) => farm.PauseAsync(id, ct), connect, console, output));
        Subcommands.Add(new JobActionCommand("resume", "Resume a paused job.", (farm, id, _, ct) => farm.ResumeAsync(id, ct), connect, console, output));
        var priority = new Argument<string>("priority") { Description = "low, normal or high." };
        priority.AcceptOnlyFromAmong("low", "normal", "high");
        Subcommands.Add(new JobActionCommand("priority", "Change a queued, running or paused job's priority: its images still waiting go out in the new order.", (farm, id, parse, ct) => farm.SetPriorityAsync(id, parse.GetValue(priority)!, ct), connect, console, output, priority));
        Subcommands.Add(new JobActionCommand("retry", "Render the failed images of a job that finished completed_with_errors or failed again.", (farm, id, _, ct) => farm.RetryAsync(id, ct), connect, console, output));
        Subcommands.Add(new JobDownloadCommand(connect, console, output));
    }
}

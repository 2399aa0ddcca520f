using System.CommandLine;
using RenderFarm.Cli.Farms;
using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary><c>renderfarm schedules add|list|pause|resume|run-now|remove</c>, against a coordinator given by <c>--server</c>.</summary>
internal sealed class SchedulesCommand : Command
{
    public SchedulesCommand(Func<Uri, string?, RemoteScheduleClient> connect, IAnsiConsole console)
        : base("schedules", "Recurring prompt jobs on a farm: add, list, pause, resume, run now, remove.")
    {
        Subcommands.Add(new ScheduleAddCommand(connect, console));
        Subcommands.Add(new ScheduleListCommand(connect, console));
        Subcommands.Add(new ScheduleActionCommand(ScheduleAction.Pause, connect, console));
        Subcommands.Add(new ScheduleActionCommand(ScheduleAction.Resume, connect, console));
        Subcommands.Add(new ScheduleActionCommand(ScheduleAction.RunNow, connect, console));
        Subcommands.Add(new ScheduleActionCommand(ScheduleAction.Remove, connect, console));
    }
}

using System.CommandLine;
using RenderFarm.Cli.Farms;
using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary><c>schedules pause|resume|run-now|remove ID --server URL</c>.</summary>
internal sealed class ScheduleActionCommand : Command
{
    private readonly Argument<Guid> _id = new("id") { Description = "The schedule's id (see 'schedules list')." };
    private readonly Option<Uri> _server = ServerOption.Required();
    private readonly ScheduleAction _action;
    private readonly Func<Uri, string?, RemoteScheduleClient> _connect;
    private readonly IAnsiConsole _console;

    public ScheduleActionCommand(ScheduleAction action, Func<Uri, string?, RemoteScheduleClient> connect, IAnsiConsole console)
        : base(NameOf(action), DescriptionOf(action))
    {
        _action = action;
        _connect = connect;
        _console = console;
        Arguments.Add(_id);
        Options.Add(_server);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var id = parse.GetValue(_id);
        using var farm = _connect(parse.GetValue(_server)!, ApiKeyOption.Read(parse));
        switch (_action)
        {
            case ScheduleAction.Pause or ScheduleAction.Resume:
                var schedule = _action == ScheduleAction.Pause ? await farm.PauseAsync(id, cancellationToken) : await farm.ResumeAsync(id, cancellationToken);
                if (schedule is null)
                {
                    return NotFound(id);
                }

                _console.MarkupLineInterpolated($"Schedule {schedule.Id} '{schedule.Name}' {(schedule.Paused ? "paused" : $"resumed; next firing {schedule.NextFireAt:u}")}");
                return 0;
            case ScheduleAction.RunNow:
                var job = await farm.RunNowAsync(id, cancellationToken);
                if (job is null)
                {
                    return NotFound(id);
                }

                _console.MarkupLineInterpolated($"Schedule {id} fired: job {job.Id} with {job.ImageCount} images submitted");
                return 0;
            default:
                if (!await farm.DeleteAsync(id, cancellationToken))
                {
                    return NotFound(id);
                }

                _console.MarkupLineInterpolated($"Schedule {id} removed; the jobs it submitted stay");
                return 0;
        }
    }

    private int NotFound(Guid id)
    {
        _console.MarkupLineInterpolated($"[red]error[/] there is no schedule {id} on this farm");
        return 1;
    }

    private static string NameOf(ScheduleAction action) => action switch
    {
        ScheduleAction.Pause => "pause",
        ScheduleAction.Resume => "resume",
        ScheduleAction.RunNow => "run-now",
        _ => "remove",
    };

    private static string DescriptionOf(ScheduleAction action) => action switch
    {
        ScheduleAction.Pause => "Stop a schedule from firing until it is resumed.",
        ScheduleAction.Resume => "Let a paused schedule fire again; a firing missed while paused fires once at once.",
        ScheduleAction.RunNow => "Fire a schedule now, outside its cron, and submit its job.",
        _ => "Delete a schedule; the jobs it already submitted stay.",
    };
}

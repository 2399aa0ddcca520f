using System.CommandLine;
using RenderFarm.Cli.Farms;
using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary><c>schedules list --server URL</c>.</summary>
internal sealed class ScheduleListCommand : Command
{
    private readonly Option<Uri> _server = ServerOption.Required();
    private readonly Func<Uri, string?, RemoteScheduleClient> _connect;
    private readonly IAnsiConsole _console;

    public ScheduleListCommand(Func<Uri, string?, RemoteScheduleClient> connect, IAnsiConsole console)
        : base("list", "List the farm's schedules with their next firing.")
    {
        _connect = connect;
        _console = console;
        Options.Add(_server);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var farm = _connect(parse.GetValue(_server)!, ApiKeyOption.Read(parse));
        var schedules = await farm.ListAsync(cancellationToken);
        if (schedules.Count == 0)
        {
            _console.WriteLine("No schedules.");
            return 0;
        }

        // One line per schedule rather than a table: names and templates stay whole in narrow terminals and in scripts.
        foreach (var s in schedules)
        {
            var state = s.Paused ? "paused" : $"active, next {s.NextFireAt:u}";
            _console.MarkupLineInterpolated($"{s.Id}  [bold]{s.Name}[/]  '{s.Cron}' {s.TimeZone}  {state}  fired {s.Firings}x");
            foreach (var template in s.PromptTemplates)
            {
                _console.MarkupLineInterpolated($"    {template}");
            }
        }

        return 0;
    }
}

using System.CommandLine;
using System.Globalization;
using RenderFarm.Cli.Farms;
using RenderFarm.Coordinator.Schedules;
using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary>
/// <c>schedules add "daily watercolor" --cron "0 0 7 * * ?" --zone Europe/Berlin --prompt "a watercolor of {city} in {season}, {date:dddd}"
/// --list "city=Berlin|Lisbon|Kyoto" --count 4 --server URL</c>.
/// </summary>
internal sealed class ScheduleAddCommand : Command
{
    private readonly Argument<string> _name = new("name") { Description = "A name for the schedule." };
    private readonly Option<string> _cron = new("--cron") { Description = "Quartz cron expression, seconds first: '0 0 7 * * ?' is every day at 07:00.", Required = true };
    private readonly Option<string> _zone = new("--zone", "--time-zone") { Description = "IANA time zone the cron and the dates are read in.", DefaultValueFactory = _ => "UTC" };
    private readonly Option<string[]> _prompts = new("--prompt", "-p") { Description = "Prompt template (repeatable): {date:yyyy-MM-dd}, {date:dddd}, {time}, {season}, {counter}, {red|green|blue}, {listname}.", Required = true };
    private readonly Option<string[]> _lists = new("--list") { Description = "Named list for templates (repeatable): name=item1|item2|item3." };
    private readonly Option<int?> _variations = new("--variations") { Description = "Prompts expanded from each template per firing (default 1)." };
    private readonly Option<long?> _seed = new("--seed") { Description = "Job seed for every firing; by default each firing derives its own." };
    private readonly Option<bool> _paused = new("--paused") { Description = "Create the schedule paused." };
    private readonly Option<Uri> _server = ServerOption.Required();
    private readonly JobOptions _job = new();
    private readonly Func<Uri, string?, RemoteScheduleClient> _connect;
    private readonly IAnsiConsole _console;

    public ScheduleAddCommand(Func<Uri, string?, RemoteScheduleClient> connect, IAnsiConsole console)
        : base("add", "Create a schedule that submits a job from prompt templates at every cron firing.")
    {
        _connect = connect;
        _console = console;
        Arguments.Add(_name);
        foreach (var option in new Option[] { _cron, _zone, _prompts, _lists, _variations, _seed, _paused, _server }.Concat(_job.All))
        {
            Options.Add(option);
        }

        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var lists = new Dictionary<string, List<string>>();
        foreach (var list in parse.GetValue(_lists) ?? [])
        {
            var equals = list.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                _console.MarkupLineInterpolated($"[red]error[/] --list: '{list}' is not name=item1|item2.");
                return 2;
            }

            lists[list[..equals].Trim()] = [.. list[(equals + 1)..].Split('|').Select(i => i.Trim())];
        }

        var request = new ScheduleRequest
        {
            Name = parse.GetValue(_name),
            Cron = parse.GetValue(_cron),
            TimeZone = parse.GetValue(_zone),
            PromptTemplates = [.. parse.GetValue(_prompts)!],
            Variations = parse.GetValue(_variations),
            Lists = lists,
            Paused = parse.GetValue(_paused),
            Job = _job.Read(parse, parse.GetValue(_seed)),
        };

        using var farm = _connect(parse.GetValue(_server)!, ApiKeyOption.Read(parse));
        var (schedule, errors) = await farm.CreateAsync(request, cancellationToken);
        if (schedule is null)
        {
            return ValidationErrors.Print(_console, errors, OptionName);
        }

        _console.MarkupLineInterpolated($"Schedule {schedule.Id} '{schedule.Name}' created{(schedule.Paused ? " (paused)" : $"; next firing {schedule.NextFireAt:u}")}");
        return 0;
    }

    /// <summary>The API names fields as JSON does; users typed options.</summary>
    private static string OptionName(string field) => field switch
    {
        "name" => "name",
        "timeZone" => "--zone",
        "promptTemplates" => "--prompt",
        _ when field.StartsWith("promptTemplates[", StringComparison.Ordinal) => $"--prompt {int.Parse(field[16..^1], CultureInfo.InvariantCulture) + 1}",
        _ when field.StartsWith("lists.", StringComparison.Ordinal) => $"--list {field[6..]}",
        "job.negativePrompt" => "--negative",
        _ when field.StartsWith("job.", StringComparison.Ordinal) => "--" + field[4..],
        _ => "--" + field,
    };
}

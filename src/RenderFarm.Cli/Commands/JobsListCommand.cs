using System.CommandLine;
using RenderFarm.Cli.Farms;
using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary><c>jobs list [--status S] [--limit N] --server URL [--json]</c>: newest first.</summary>
internal sealed class JobsListCommand : Command
{
    private readonly Option<string?> _status = new("--status") { Description = "Only jobs in this status: queued, running, paused, completed, completed_with_errors, failed, cancelled." };
    private readonly Option<int?> _limit = new("--limit") { Description = "At most this many jobs (1-1000, default 50)." };
    private readonly Option<Uri> _server = ServerOption.Required();
    private readonly Option<bool> _json = JsonOutput.Create();
    private readonly Func<Uri, string?, RemoteJobsClient> _connect;
    private readonly IAnsiConsole _console;
    private readonly TextWriter _output;

    public JobsListCommand(Func<Uri, string?, RemoteJobsClient> connect, IAnsiConsole console, TextWriter output)
        : base("list", "List the farm's jobs, newest first.")
    {
        _connect = connect;
        _console = console;
        _output = output;
        Options.Add(_status);
        Options.Add(_limit);
        Options.Add(_server);
        Options.Add(_json);
        SetAction(RunAsync);
    }

    private Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken) => FarmCall.RunAsync(_console, parse.GetValue(_server)!, async () =>
    {
        using var farm = _connect(parse.GetValue(_server)!, ApiKeyOption.Read(parse));
        var result = await farm.ListAsync(parse.GetValue(_status), parse.GetValue(_limit), cancellationToken);
        if (result.Value is not { } jobs)
        {
            _console.MarkupLineInterpolated($"[red]error[/] {result.Problem}");
            return ExitCodes.BadInput;
        }

        if (parse.GetValue(_json))
        {
            JsonOutput.Write(_output, jobs);
            return ExitCodes.Success;
        }

        if (jobs.Count == 0)
        {
            _console.WriteLine("No jobs.");
        }

        // One line per job: ids stay whole for copying into the other commands, and scripts can cut columns.
        foreach (var job in jobs)
        {
            var prompt = job.Prompts is [var first, ..] ? first : "";
            var more = job.Prompts is { Count: > 1 } ? $" (+{job.Prompts.Count - 1} more)" : "";
            _console.MarkupLineInterpolated($"{job.Id}  {job.Status,-21}  {job.Completed}/{job.Total}{(job.Failed > 0 ? $" ({job.Failed} failed)" : "")}  {job.Model}  {job.CreatedAt:u}  {Shorten(prompt)}{more}");
        }

        return ExitCodes.Success;
    });

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}

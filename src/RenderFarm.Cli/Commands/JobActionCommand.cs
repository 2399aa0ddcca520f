using System.CommandLine;
using System.Net;
using RenderFarm.Cli.Farms;
using RenderFarm.Coordinator.Jobs;
using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary><c>jobs cancel|pause|resume|retry ID [VALUE] --server URL [--json]</c>: one change to a job, refused (exit 4) when its status does not allow it.</summary>
internal sealed class JobActionCommand : Command
{
    private readonly Argument<Guid> _id = new("id") { Description = "The job's id (see 'jobs list')." };
    private readonly Option<Uri> _server = ServerOption.Required();
    private readonly Option<bool> _json = JsonOutput.Create();
    private readonly Func<RemoteJobsClient, Guid, ParseResult, CancellationToken, Task<RemoteResult<JobView>>> _act;
    private readonly Func<Uri, string?, RemoteJobsClient> _connect;
    private readonly IAnsiConsole _console;
    private readonly TextWriter _output;

    public JobActionCommand(
        string name,
        string description,
        Func<RemoteJobsClient, Guid, ParseResult, CancellationToken, Task<RemoteResult<JobView>>> act,
        Func<Uri, string?, RemoteJobsClient> connect,
        IAnsiConsole console,
        TextWriter output,
        Argument<string>? value = null)
        : base(name, description)
    {
        _act = act;
        _connect = connect;
        _console = console;
        _output = output;
        Arguments.Add(_id);
        if (value is not null)
        {
            Arguments.Add(value);
        }

        Options.Add(_server);
        Options.Add(_json);
        SetAction(RunAsync);
    }

    private Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken) => FarmCall.RunAsync(_console, parse.GetValue(_server)!, async () =>
    {
        var id = parse.GetValue(_id);
        using var farm = _connect(parse.GetValue(_server)!, ApiKeyOption.Read(parse));
        var result = await _act(farm, id, parse, cancellationToken);
        if (result.Value is not { } job)
        {
            _console.MarkupLineInterpolated($"[red]error[/] {(result.Status == HttpStatusCode.NotFound ? $"there is no job {id} on this farm" : result.Problem)}");
            return ExitCodes.Refused;
        }

        if (parse.GetValue(_json))
        {
            JsonOutput.Write(_output, job);
        }
        else
        {
            _console.MarkupLineInterpolated($"Job {job.Id} {job.Status}: {job.Completed}/{job.Total} rendered, {job.Failed} failed, {job.Cancelled} cancelled");
        }

        return ExitCodes.Success;
    });
}

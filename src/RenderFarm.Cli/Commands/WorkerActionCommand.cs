using System.CommandLine;
using System.Net;
using RenderFarm.Cli.Farms;
using RenderFarm.Core.Workers;
using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary><c>workers drain|release ID --server URL [--json]</c>: one change to a live worker, refused (exit 4) for an unknown id.</summary>
internal sealed class WorkerActionCommand : Command
{
    private readonly Argument<string> _id = new("id") { Description = "The worker's id (see 'workers')." };
    private readonly Option<Uri> _server = ServerOption.Required();
    private readonly Option<bool> _json = JsonOutput.Create();
    private readonly Func<RemoteJobsClient, string, CancellationToken, Task<RemoteResult<WorkerRecord>>> _act;
    private readonly Func<Uri, string?, RemoteJobsClient> _connect;
    private readonly IAnsiConsole _console;
    private readonly TextWriter _output;

    public WorkerActionCommand(
        string name,
        string description,
        Func<RemoteJobsClient, string, CancellationToken, Task<RemoteResult<WorkerRecord>>> act,
        Func<Uri, string?, RemoteJobsClient> connect,
        IAnsiConsole console,
        TextWriter output)
        : base(name, description)
    {
        _act = act;
        _connect = connect;
        _console = console;
        _output = output;
        Arguments.Add(_id);
        Options.Add(_server);
        Options.Add(_json);
        SetAction(RunAsync);
    }

    private Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken) => FarmCall.RunAsync(_console, parse.GetValue(_server)!, async () =>
    {
        var id = parse.GetValue(_id)!;
        using var farm = _connect(parse.GetValue(_server)!, ApiKeyOption.Read(parse));
        var result = await _act(farm, id, cancellationToken);
        if (result.Value is not { } worker)
        {
            _console.MarkupLineInterpolated($"[red]error[/] {(result.Status == HttpStatusCode.NotFound ? $"there is no live worker {id} on this farm" : result.Problem)}");
            return ExitCodes.Refused;
        }

        if (parse.GetValue(_json))
        {
            JsonOutput.Write(_output, worker);
        }
        else
        {
            _console.MarkupLineInterpolated($"Worker {worker.Id} {worker.State}");
        }

        return ExitCodes.Success;
    });
}

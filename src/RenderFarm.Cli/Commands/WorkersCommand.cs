using System.CommandLine;
using RenderFarm.Cli.Farms;
using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary><c>renderfarm workers --server URL [--json]</c>: the farm's live workers; <c>workers drain|release ID</c> steer one.</summary>
internal sealed class WorkersCommand : Command
{
    private readonly Option<Uri> _server = ServerOption.Required();
    private readonly Option<bool> _json = JsonOutput.Create();
    private readonly Func<Uri, string?, RemoteJobsClient> _connect;
    private readonly IAnsiConsole _console;
    private readonly TextWriter _output;

    public WorkersCommand(Func<Uri, string?, RemoteJobsClient> connect, IAnsiConsole console, TextWriter output)
        : base("workers", "List the farm's live workers: device, models, batch size, images rendered, last heartbeat.")
    {
        _connect = connect;
        _console = console;
        _output = output;
        Options.Add(_server);
        Options.Add(_json);
        Subcommands.Add(new WorkerActionCommand("drain", "Have a worker finish the images it holds and take nothing more, until released (admins).", (farm, id, ct) => farm.DrainWorkerAsync(id, ct), connect, console, output));
        Subcommands.Add(new WorkerActionCommand("release", "Let a drained or quarantined worker take work again (admins).", (farm, id, ct) => farm.ReleaseWorkerAsync(id, ct), connect, console, output));
        SetAction(RunAsync);
    }

    private Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken) => FarmCall.RunAsync(_console, parse.GetValue(_server)!, async () =>
    {
        using var farm = _connect(parse.GetValue(_server)!, ApiKeyOption.Read(parse));
        var workers = await farm.ListWorkersAsync(cancellationToken);
        if (parse.GetValue(_json))
        {
            JsonOutput.Write(_output, workers);
            return ExitCodes.Success;
        }

        if (workers.Count == 0)
        {
            _console.WriteLine("No live workers.");
        }

        foreach (var w in workers)
        {
            _console.MarkupLineInterpolated($"{w.Id}  {w.Host}  {w.Device}  models {string.Join(", ", w.Models)}  batch {w.BatchSize}  rendered {w.ImagesRendered}  {w.State}{(w.StateReason is null ? "" : $" ({w.StateReason})")}  last seen {w.LastSeen:u}");
        }

        return ExitCodes.Success;
    });
}

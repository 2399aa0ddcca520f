using System.CommandLine;
using System.Net;
using RenderFarm.Cli.Farms;
using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary><c>jobs show ID --server URL [--json]</c>: the job with its parameters and every image's state.</summary>
internal sealed class JobShowCommand : Command
{
    private readonly Argument<Guid> _id = new("id") { Description = "The job's id (see 'jobs list')." };
    private readonly Option<Uri> _server = ServerOption.Required();
    private readonly Option<bool> _json = JsonOutput.Create();
    private readonly Func<Uri, string?, RemoteJobsClient> _connect;
    private readonly IAnsiConsole _console;
    private readonly TextWriter _output;

    public JobShowCommand(Func<Uri, string?, RemoteJobsClient> connect, IAnsiConsole console, TextWriter output)
        : base("show", "Show a job: status, progress, parameters and each image.")
    {
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
        var id = parse.GetValue(_id);
        using var farm = _connect(parse.GetValue(_server)!, ApiKeyOption.Read(parse));
        var job = await farm.GetAsync(id, cancellationToken);
        var images = await farm.GetImagesAsync(id, cancellationToken);
        if (job.Value is null || images.Value is null)
        {
            _console.MarkupLineInterpolated($"[red]error[/] {(job.Status == HttpStatusCode.NotFound ? $"there is no job {id} on this farm" : job.Problem ?? images.Problem)}");
            return ExitCodes.Refused;
        }

        if (parse.GetValue(_json))
        {
            JsonOutput.Write(_output, new { job = job.Value, images = images.Value });
            return ExitCodes.Success;
        }

        var j = job.Value;
        _console.MarkupLineInterpolated($"Job {j.Id}  [bold]{j.Status}[/]  priority {j.Priority}");
        _console.MarkupLineInterpolated($"  {j.Completed}/{j.Total} rendered, {j.Failed} failed, {j.Cancelled} cancelled");
        _console.MarkupLineInterpolated($"  model {j.Model}, {j.Width}x{j.Height}, {j.Steps} steps, guidance {j.Guidance}, seed {j.Seed}, {j.Count} per prompt, {j.Format}");
        _console.MarkupLineInterpolated($"  created {j.CreatedAt:u}, started {j.StartedAt:u}, finished {j.FinishedAt:u}");
        foreach (var prompt in j.Prompts ?? [])
        {
            _console.MarkupLineInterpolated($"  prompt: {prompt}");
        }

        if (!string.IsNullOrEmpty(j.NegativePrompt))
        {
            _console.MarkupLineInterpolated($"  negative: {j.NegativePrompt}");
        }

        foreach (var image in images.Value)
        {
            _console.MarkupLineInterpolated($"  #{image.Index,-4} seed {image.Seed,-10} {image.Status,-10} {image.Error}");
        }

        return ExitCodes.Success;
    });
}

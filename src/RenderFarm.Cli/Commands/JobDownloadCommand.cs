using System.CommandLine;
using System.Net;
using RenderFarm.Cli.Farms;
using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary><c>jobs download ID --out DIR --server URL [--json]</c>: every rendered image of the job, named as <c>render</c> names them.</summary>
internal sealed class JobDownloadCommand : Command
{
    private readonly Argument<Guid> _id = new("id") { Description = "The job's id (see 'jobs list')." };
    private readonly Option<DirectoryInfo> _out = new("--out", "-o") { Description = "Folder the images are written to.", DefaultValueFactory = _ => new DirectoryInfo("renders") };
    private readonly Option<Uri> _server = ServerOption.Required();
    private readonly Option<bool> _json = JsonOutput.Create();
    private readonly Func<Uri, string?, RemoteJobsClient> _connect;
    private readonly IAnsiConsole _console;
    private readonly TextWriter _output;

    public JobDownloadCommand(Func<Uri, string?, RemoteJobsClient> connect, IAnsiConsole console, TextWriter output)
        : base("download", "Download the rendered images of a job (finished or not) to a folder.")
    {
        _connect = connect;
        _console = console;
        _output = output;
        Arguments.Add(_id);
        Options.Add(_out);
        Options.Add(_server);
        Options.Add(_json);
        SetAction(RunAsync);
    }

    private Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken) => FarmCall.RunAsync(_console, parse.GetValue(_server)!, async () =>
    {
        var id = parse.GetValue(_id);
        var folder = parse.GetValue(_out)!;
        using var farm = _connect(parse.GetValue(_server)!, ApiKeyOption.Read(parse));
        var images = await farm.GetImagesAsync(id, cancellationToken);
        if (images.Value is null)
        {
            _console.MarkupLineInterpolated($"[red]error[/] {(images.Status == HttpStatusCode.NotFound ? $"there is no job {id} on this farm" : images.Problem)}");
            return ExitCodes.Refused;
        }

        var files = await ImageFiles.WriteAsync(id, images.Value, folder, farm.DownloadAsync, cancellationToken);

        if (parse.GetValue(_json))
        {
            JsonOutput.Write(_output, new { jobId = id, files });
        }
        else
        {
            _console.MarkupLineInterpolated($"Job {id}: {files.Count} of {images.Value.Count} images written to {folder.FullName}");
        }

        return ExitCodes.Success;
    });
}

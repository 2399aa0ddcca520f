using System.CommandLine;
using RenderFarm.Cli.Farms;
using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary>
/// <c>renderfarm render "prompt" --count 8 --out renders/</c>: renders on the embedded farm, or on a coordinator given
/// by <c>--server</c>; prompts also come from a file (<c>--prompts-file</c>, <c>-</c> for standard input), and
/// <c>--detach</c> only submits.
/// </summary>
internal sealed class RenderCommand : Command
{
    private readonly Argument<string[]> _prompts = new("prompts") { Description = "Prompts; each gets --count images (or give them with --prompts-file).", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<string?> _promptsFile = new("--prompts-file") { Description = "A file of prompts, one per line (blank lines skipped); '-' reads standard input." };
    private readonly Option<bool> _detach = new("--detach") { Description = "Submit to --server, print the job's id and return without waiting (see 'renderfarm jobs')." };
    private readonly Option<bool> _json = JsonOutput.Create();
    private readonly Option<long?> _seed = new("--seed") { Description = "Job seed; image i gets seed + i. Random when omitted." };
    private readonly Option<DirectoryInfo> _out = new("--out", "-o") { Description = "Folder the images are written to.", DefaultValueFactory = _ => new DirectoryInfo("renders") };
    private readonly Option<Uri?> _server = ServerOption.Optional("Submit to the coordinator at this URL instead of rendering in this process.");
    private readonly Option<DirectoryInfo?> _data = new("--data") { Description = "Embedded mode: keep the database and images here (default: a temporary folder)." };
    private readonly Option<DirectoryInfo?> _models = new("--models") { Description = "Embedded mode: folder of ONNX model folders (default: the models shipped with renderfarm)." };
    private readonly JobOptions _job = new();
    private readonly Func<FarmConnection, CancellationToken, Task<IFarmClient>> _connect;
    private readonly IAnsiConsole _console;
    private readonly TextReader _input;
    private readonly TextWriter _output;

    public RenderCommand(Func<FarmConnection, CancellationToken, Task<IFarmClient>> connect, IAnsiConsole console, TextReader input, TextWriter output)
        : base("render", "Render images from prompts and write them to a folder.")
    {
        _connect = connect;
        _console = console;
        _input = input;
        _output = output;
        foreach (var option in new Option[] { _promptsFile, _seed, _out, _server, _data, _models, _detach, _json }.Concat(_job.All))
        {
            Options.Add(option);
        }

        Arguments.Add(_prompts);
        SetAction(RunAsync);
    }

    private Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken) =>
        parse.GetValue(_server) is { } server
            ? FarmCall.RunAsync(_console, server, () => RenderAsync(parse, cancellationToken))
            : RenderAsync(parse, cancellationToken);

    private async Task<int> RenderAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var prompts = new List<string>(parse.GetValue(_prompts) ?? []);
        if (parse.GetValue(_promptsFile) is { } file)
        {
            if (file != "-" && !File.Exists(file))
            {
                _console.MarkupLineInterpolated($"[red]error[/] --prompts-file: there is no file '{file}'.");
                return ExitCodes.BadInput;
            }

            var text = file == "-" ? await _input.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(file, cancellationToken);
            prompts.AddRange(text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0));
        }

        if (prompts.Count == 0)
        {
            _console.MarkupLine("[red]error[/] prompts: give one or more prompts, or --prompts-file.");
            return ExitCodes.BadInput;
        }

        var detach = parse.GetValue(_detach);
        if (detach && parse.GetValue(_server) is null)
        {
            _console.MarkupLine("[red]error[/] --detach needs --server: the embedded farm stops when this command returns.");
            return ExitCodes.BadInput;
        }

        var json = parse.GetValue(_json);
        var request = _job.Read(parse, parse.GetValue(_seed)) with { Prompts = prompts };
        var output = parse.GetValue(_out)!;
        var connection = new FarmConnection(parse.GetValue(_server), parse.GetValue(_data)?.FullName, parse.GetValue(_models)?.FullName, ApiKeyOption.Read(parse));

        IFarmClient connected;
        try
        {
            connected = await _connect(connection, cancellationToken);
        }
        catch (NoModelException e)
        {
            _console.MarkupLineInterpolated($"[red]error[/] --models: {e.Message}");
            return ExitCodes.BadInput;
        }

        await using var farm = connected;
        var (accepted, errors) = await farm.SubmitAsync(request, cancellationToken);
        if (accepted is null)
        {
            return ValidationErrors.Print(_console, errors, OptionName);
        }

        if (detach)
        {
            // Only the id (or the JSON), so that a script can take it: id=$(renderfarm render … --detach).
            if (json)
            {
                JsonOutput.Write(_output, accepted);
            }
            else
            {
                _output.WriteLine(accepted.Id.ToString("D"));
                _output.Flush();
            }

            return ExitCodes.Success;
        }

        var job = json
            ? await JobProgressDisplay.WaitAsync(farm, accepted, cancellationToken)
            : await JobProgressDisplay.FollowAsync(_console, farm, accepted, cancellationToken);
        var written = await WriteImagesAsync(farm, job.Id, output, quiet: json, cancellationToken);
        if (json)
        {
            JsonOutput.Write(_output, new { job, files = written });
        }
        else
        {
            _console.MarkupLineInterpolated($"Job {job.Id} {job.Status}: {written.Count} images written to {output.FullName}");
        }

        return job.Status == "completed" ? ExitCodes.Success : ExitCodes.JobNotCompleted;
    }

    /// <param name="quiet">Leaves failures to the job's JSON, so that standard output holds nothing else.</param>
    private async Task<List<string>> WriteImagesAsync(IFarmClient farm, Guid jobId, DirectoryInfo output, bool quiet, CancellationToken cancellationToken)
    {
        var images = await farm.GetImagesAsync(jobId, cancellationToken);
        if (!quiet)
        {
            foreach (var image in images.Where(i => i.Url is null && i.Error is not null))
            {
                _console.MarkupLineInterpolated($"[yellow]image {image.Index} failed:[/] {image.Error}");
            }
        }

        return await ImageFiles.WriteAsync(jobId, images, output, farm.DownloadAsync, cancellationToken);
    }

    /// <summary>The API names fields as JSON does; users typed options.</summary>
    private static string OptionName(string field) => field switch
    {
        "prompts" => "prompts",
        _ when field.StartsWith("prompts[", StringComparison.Ordinal) => $"prompt {int.Parse(field[8..^1], System.Globalization.CultureInfo.InvariantCulture) + 1}",
        "negativePrompt" => "--negative",
        _ => "--" + field,
    };
}

using System.CommandLine;
using RenderFarm.Cli.Farms;
using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary><c>renderfarm render "prompt" --count 8 --out renders/</c>: renders on the embedded farm, or on a coordinator given by <c>--server</c>.</summary>
internal sealed class RenderCommand : Command
{
    private readonly Argument<string[]> _prompts = new("prompts") { Description = "One or more prompts; each gets --count images.", Arity = ArgumentArity.OneOrMore };
    private readonly Option<long?> _seed = new("--seed") { Description = "Job seed; image i gets seed + i. Random when omitted." };
    private readonly Option<DirectoryInfo> _out = new("--out", "-o") { Description = "Folder the images are written to.", DefaultValueFactory = _ => new DirectoryInfo("renders") };
    private readonly Option<Uri?> _server = ServerOption.Optional("Submit to the coordinator at this URL instead of rendering in this process.");
    private readonly Option<DirectoryInfo?> _data = new("--data") { Description = "Embedded mode: keep the database and images here (default: a temporary folder)." };
    private readonly Option<DirectoryInfo?> _models = new("--models") { Description = "Embedded mode: folder of ONNX model folders (default: the models shipped with renderfarm)." };
    private readonly JobOptions _job = new();
    private readonly Func<FarmConnection, CancellationToken, Task<IFarmClient>> _connect;
    private readonly IAnsiConsole _console;

    public RenderCommand(Func<FarmConnection, CancellationToken, Task<IFarmClient>> connect, IAnsiConsole console)
        : base("render", "Render images from prompts and write them to a folder.")
    {
        _connect = connect;
        _console = console;
        foreach (var option in new Option[] { _seed, _out, _server, _data, _models }.Concat(_job.All))
        {
            Options.Add(option);
        }

        Arguments.Add(_prompts);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var request = _job.Read(parse, parse.GetValue(_seed)) with { Prompts = [.. parse.GetValue(_prompts)!] };
        var output = parse.GetValue(_out)!;
        var connection = new FarmConnection(parse.GetValue(_server), parse.GetValue(_data)?.FullName, parse.GetValue(_models)?.FullName, ApiKeyOption.Read(parse));

        await using var farm = await _connect(connection, cancellationToken);
        var (accepted, errors) = await farm.SubmitAsync(request, cancellationToken);
        if (accepted is null)
        {
            return ValidationErrors.Print(_console, errors, OptionName);
        }

        var job = await JobProgressDisplay.FollowAsync(_console, farm, accepted, cancellationToken);
        var written = await WriteImagesAsync(farm, job.Id, output, cancellationToken);
        _console.MarkupLineInterpolated($"Job {job.Id} {job.Status}: {written} images written to {output.FullName}");
        return job.Status == "completed" ? 0 : 1;
    }

    private async Task<int> WriteImagesAsync(IFarmClient farm, Guid jobId, DirectoryInfo output, CancellationToken cancellationToken)
    {
        output.Create();
        var written = 0;
        foreach (var image in await farm.GetImagesAsync(jobId, cancellationToken))
        {
            if (image.Url is null)
            {
                if (image.Error is not null)
                {
                    _console.MarkupLineInterpolated($"[yellow]image {image.Index} failed:[/] {image.Error}");
                }

                continue;
            }

            var extension = image.ContentType switch { "image/jpeg" => "jpg", "image/webp" => "webp", _ => "png" };
            var path = Path.Combine(output.FullName, $"{jobId.ToString("N")[..8]}-{image.Index:D4}-{image.Seed}.{extension}");
            await using (var file = File.Create(path))
            {
                await farm.DownloadAsync(image, file, cancellationToken);
            }

            written++;
        }

        return written;
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

using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using RenderFarm.Cli.Commands;
using RenderFarm.Cli.Farms;
using Spectre.Console;

namespace RenderFarm.Cli;

public static class CliApplication
{
    /// <summary>Models shipped beside the executable.</summary>
    public static string DefaultModelsDirectory => Path.Combine(AppContext.BaseDirectory, "models");

    /// <param name="console">Where progress and messages go (tests capture it).</param>
    /// <param name="embeddedServices">Lets tests swap services of the embedded farm, such as the engine.</param>
    /// <param name="input">Standard input (<c>--prompts-file -</c>).</param>
    /// <param name="output">Standard output for what scripts read: <c>--json</c> and <c>--detach</c>'s id.</param>
    public static RootCommand Create(IAnsiConsole? console = null, Action<IServiceCollection>? embeddedServices = null, TextReader? input = null, TextWriter? output = null)
    {
        console ??= AnsiConsole.Console;
        input ??= Console.In;
        output ??= Console.Out;
        Task<IFarmClient> ConnectAsync(FarmConnection connection, CancellationToken cancellationToken) =>
            connection.Server is { } server
                ? Task.FromResult<IFarmClient>(new RemoteFarmClient(Http(server, connection.ApiKey)))
                : EmbeddedFarm.StartAsync(connection.ModelsDirectory ?? DefaultModelsDirectory, connection.DataDirectory, embeddedServices, cancellationToken);

        return new RootCommand("RenderFarm: render images from prompts, on this machine or on a farm.")
        {
            ApiKeyOption.Create(),
            new RenderCommand(ConnectAsync, console, input, output),
            new JobsCommand((server, key) => new RemoteJobsClient(Http(server, key)), console, output),
            new WorkersCommand((server, key) => new RemoteJobsClient(Http(server, key)), console, output),
            new SchedulesCommand((server, key) => new RemoteScheduleClient(Http(server, key)), console),
            new KeysCommand((server, key) => new RemoteStudioClient(Http(server, key)), console),
        };
    }

    private static HttpClient Http(Uri server, string? apiKey)
    {
        var http = new HttpClient { BaseAddress = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/") };
        if (!string.IsNullOrEmpty(apiKey))
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        }

        return http;
    }
}

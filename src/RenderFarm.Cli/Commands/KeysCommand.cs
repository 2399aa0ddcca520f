using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RenderFarm.Cli.Farms;
using RenderFarm.Coordinator.Auth;
using RenderFarm.Coordinator.Studios;
using RenderFarm.Infrastructure.Persistence;
using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary>
/// <c>renderfarm keys generate|bootstrap|create|list|revoke</c> and <c>renderfarm keys studios create|list</c>: the farm's
/// first admin key (from the database, no server needed), then keys and studios through the API.
/// </summary>
internal sealed class KeysCommand : Command
{
    private readonly Func<Uri, string?, RemoteStudioClient> _connect;
    private readonly IAnsiConsole _console;

    public KeysCommand(Func<Uri, string?, RemoteStudioClient> connect, IAnsiConsole console)
        : base("keys", "API keys and studios: bootstrap the first admin key, create, list and revoke keys, create studios.")
    {
        _connect = connect;
        _console = console;
        Subcommands.Add(Generate());
        Subcommands.Add(Bootstrap());
        Subcommands.Add(Create());
        Subcommands.Add(List());
        Subcommands.Add(Revoke());
        Subcommands.Add(Studios());
    }

    private Command Generate()
    {
        var command = new Command("generate", "Print a new random key, e.g. for Auth__BootstrapAdminKey (stores nothing).");
        command.SetAction(_ => _console.WriteLine(ApiKeyFormat.Generate()));
        return command;
    }

    private Command Bootstrap()
    {
        var connection = new Option<string>("--database") { Description = "The farm's PostgreSQL connection string (Host=…;Database=…;Username=…;Password=…).", Required = true };
        var studio = new Option<string>("--studio") { Description = "The admins' studio, created if missing.", DefaultValueFactory = _ => "operations" };
        var command = new Command("bootstrap", "Create an admin key directly in the farm's database and print it (the first key, or a lost admin key's replacement).") { connection, studio };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var name = parse.GetValue(studio)!;
            if (!System.Text.RegularExpressions.Regex.IsMatch(name, StudioNames.Pattern))
            {
                _console.MarkupLineInterpolated($"[red]error[/] --studio: {StudioNames.Rule}");
                return 2;
            }

            var services = new ServiceCollection()
                .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
                .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Database:Provider"] = "Postgres",
                    ["Database:ConnectionString"] = parse.GetValue(connection),
                }).Build())
                .AddSingleton(TimeProvider.System)
                .AddRenderFarmDatabase()
                .AddScoped<ApiKeyStore>();
            await using var provider = services.BuildServiceProvider();
            await using var scope = provider.CreateAsyncScope();
            var (_, key) = await scope.ServiceProvider.GetRequiredService<ApiKeyStore>().BootstrapAdminAsync(name, null, "cli", cancellationToken);
            _console.MarkupLineInterpolated($"Admin key for studio [bold]{name}[/] (shown once, keep it safe):");
            _console.WriteLine(key);
            return 0;
        });
        return command;
    }

    private Command Create()
    {
        var server = ServerOption.Required();
        var name = new Option<string>("--name") { Description = "Who holds the key.", Required = true };
        var role = new Option<string>("--role") { Description = "viewer, artist, manager or admin.", Required = true };
        var studio = new Option<Guid?>("--studio-id") { Description = "The key's studio (admins only; default: yours)." };
        var expires = new Option<DateTimeOffset?>("--expires") { Description = "When the key stops working (ISO 8601)." };
        var command = new Command("create", "Create a key and print it (shown once).") { server, name, role, studio, expires };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var farm = _connect(parse.GetValue(server)!, ApiKeyOption.Read(parse));
            var (created, errors) = await farm.CreateKeyAsync(new ApiKeyRequest(parse.GetValue(name), parse.GetValue(role), parse.GetValue(studio), parse.GetValue(expires)), cancellationToken);
            if (created is null)
            {
                return ValidationErrors.Print(_console, errors, field => field == "studioId" ? "--studio-id" : $"--{field}");
            }

            _console.MarkupLineInterpolated($"{created.Info.Role} key {created.Info.Prefix}… for '{created.Info.Name}' (id {created.Info.Id}); shown once:");
            _console.WriteLine(created.Key);
            return 0;
        });
        return command;
    }

    private Command List()
    {
        var server = ServerOption.Required();
        var command = new Command("list", "List the keys you manage (prefixes only).") { server };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var farm = _connect(parse.GetValue(server)!, ApiKeyOption.Read(parse));
            foreach (var key in await farm.ListKeysAsync(cancellationToken))
            {
                var state = key.RevokedAt is { } revoked ? $"revoked {revoked:u}" : key.ExpiresAt is { } expiry ? $"expires {expiry:u}" : "active";
                _console.MarkupLineInterpolated($"{key.Id}  {key.Prefix}…  {key.Role,-8} {key.Name}  {state}  last used {key.LastUsedAt?.ToString("u") ?? "never"}");
            }

            return 0;
        });
        return command;
    }

    private Command Revoke()
    {
        var server = ServerOption.Required();
        var id = new Argument<Guid>("id") { Description = "The key's id (from keys list)." };
        var command = new Command("revoke", "Revoke a key: it stops working at once, sessions signed in with it included.") { server, id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var farm = _connect(parse.GetValue(server)!, ApiKeyOption.Read(parse));
            if (await farm.RevokeKeyAsync(parse.GetValue(id), cancellationToken) is not { } key)
            {
                _console.MarkupLineInterpolated($"[red]error[/] There is no key {parse.GetValue(id)} you manage.");
                return 4;
            }

            _console.MarkupLineInterpolated($"Key {key.Prefix}… ('{key.Name}') revoked");
            return 0;
        });
        return command;
    }

    private Command Studios()
    {
        var createServer = ServerOption.Required();
        var name = new Argument<string>("name") { Description = "Lower-case letters, digits and dashes." };
        var share = new Option<int?>("--share") { Description = "Weight in the fair share between studios (default 1)." };
        var create = new Command("create", "Create a studio (admins).") { createServer, name, share };
        create.SetAction(async (parse, cancellationToken) =>
        {
            using var farm = _connect(parse.GetValue(createServer)!, ApiKeyOption.Read(parse));
            var (studio, errors) = await farm.CreateStudioAsync(new StudioRequest(parse.GetValue(name), parse.GetValue(share)), cancellationToken);
            if (studio is null)
            {
                return ValidationErrors.Print(_console, errors, field => field == "name" ? "name" : $"--{field}");
            }

            _console.MarkupLineInterpolated($"Studio [bold]{studio.Name}[/] created (id {studio.Id}, share {studio.Share})");
            return 0;
        });

        var listServer = ServerOption.Required();
        var list = new Command("list", "List studios (admins see all, others their own).") { listServer };
        list.SetAction(async (parse, cancellationToken) =>
        {
            using var farm = _connect(parse.GetValue(listServer)!, ApiKeyOption.Read(parse));
            foreach (var studio in await farm.ListStudiosAsync(cancellationToken))
            {
                _console.MarkupLineInterpolated($"{studio.Id}  [bold]{studio.Name}[/]  share {studio.Share}");
            }

            return 0;
        });

        return new Command("studios", "Studios: create, list.") { create, list };
    }
}

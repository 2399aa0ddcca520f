using System.Net.Http.Json;
using System.Text.Json;
using RenderFarm.Cli;
using RenderFarm.Cli.Commands;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Workers;
using RenderFarm.Infrastructure.Imaging;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>
/// The farm user's commands against a coordinator on the real servers: prompts from a file or standard input,
/// <c>--detach</c>, <c>jobs list|show|cancel|retry|download</c>, <c>workers</c>, <c>--json</c> and the exit codes.
/// </summary>
public sealed class CliJobsTests : IDisposable
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private readonly DirectoryInfo _out = Directory.CreateTempSubdirectory("rf-cli-jobs-");

    public void Dispose() => _out.Delete(recursive: true);

    [Fact]
    public async Task Render_takes_prompts_from_a_file_and_from_standard_input_and_prints_json()
    {
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(10))]);
        var file = Path.Combine(_out.FullName, "prompts.txt");
        await File.WriteAllTextAsync(file, "a red fox\r\n\r\na blue jay\n");

        var (exit, text, json) = await RunAsync(farm, ["render", "--prompts-file", file, "--seed", "5", "--out", Path.Combine(_out.FullName, "file"), "--json"]);

        Assert.True(exit == ExitCodes.Success, text + json);
        using (var answer = JsonDocument.Parse(json))
        {
            var job = answer.RootElement.GetProperty("job").Deserialize<JobView>(Web)!;
            Assert.Equal("completed", job.Status);
            Assert.Equal(["a red fox", "a blue jay"], job.Prompts!);
            var files = answer.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToList();
            Assert.Equal(["a red fox", "a blue jay"], files.Select(f => ImageMetadataReader.ReadParameters(File.ReadAllBytes(f))!.Split('\n')[0]));
        }

        (exit, text, _) = await RunAsync(farm, ["render", "--prompts-file", "-", "--count", "2", "--out", Path.Combine(_out.FullName, "stdin")], stdin: "a green frog\n");

        Assert.True(exit == ExitCodes.Success, text);
        var written = Directory.GetFiles(Path.Combine(_out.FullName, "stdin"));
        Assert.Equal(2, written.Length);
        Assert.All(written, f => Assert.StartsWith("a green frog\n", ImageMetadataReader.ReadParameters(File.ReadAllBytes(f)), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_detach_prints_only_the_id_and_returns_while_the_job_waits()
    {
        // No worker: the job cannot finish, so a command that waited would not return.
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, []);

        var (exit, text, output) = await RunAsync(farm, ["render", "a lighthouse", "--count", "3", "--detach"]);

        Assert.True(exit == ExitCodes.Success, text);
        var id = Guid.Parse(output.Trim());
        var job = await farm.GetJobAsync(id);
        Assert.Equal(("queued", 3), (job.Status, job.Total));

        (exit, _, output) = await RunAsync(farm, ["render", "another", "--detach", "--json"]);
        Assert.Equal(ExitCodes.Success, exit);
        var accepted = JsonSerializer.Deserialize<JobAccepted>(output, Web)!;
        Assert.Equal(("queued", 1), (accepted.Status, accepted.ImageCount));

        // The embedded farm stops with the command, so detaching from it is refused.
        (exit, text, _) = await RunAsync(null, ["render", "x", "--detach"]);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("--detach needs --server", text);

        (exit, text, _) = await RunAsync(farm, ["render", "--out", _out.FullName]);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("prompts", text);
    }

    [Fact]
    public async Task Jobs_list_show_retry_download_cancel_and_workers_look_after_a_job()
    {
        var model = TestFarm.NewModelName();
        var refuse = true;
        var engine = new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(10), item => refuse && item.Prompt.Contains("stubborn", StringComparison.Ordinal));
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [engine], new Dictionary<string, string?> { ["Dispatch:MaxAttempts"] = "1" });
        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["a willing cat", "a stubborn mule"] });
        await farm.WaitForJobAsync(accepted.Id, j => j.Status == "completed_with_errors", TimeSpan.FromSeconds(60));
        var id = accepted.Id.ToString("D");

        var (exit, text, output) = await RunAsync(farm, ["jobs", "list", "--json"]);
        Assert.True(exit == ExitCodes.Success, text);
        Assert.Equal(accepted.Id, Assert.Single(JsonSerializer.Deserialize<List<JobView>>(output, Web)!).Id);

        (exit, text, _) = await RunAsync(farm, ["jobs", "list"]);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains($"{id}  completed_with_errors", text);

        (exit, _, output) = await RunAsync(farm, ["jobs", "show", id, "--json"]);
        Assert.Equal(ExitCodes.Success, exit);
        using (var shown = JsonDocument.Parse(output))
        {
            Assert.Equal("completed_with_errors", shown.RootElement.GetProperty("job").GetProperty("status").GetString());
            Assert.Equal(["rendered", "failed"], shown.RootElement.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("status").GetString()));
        }

        (exit, text, _) = await RunAsync(farm, ["jobs", "show", id]);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("test engine refuses 'a stubborn mule'", text);

        // A finished job cannot be cancelled: refused, with its status.
        (exit, text, _) = await RunAsync(farm, ["jobs", "cancel", id]);
        Assert.Equal(ExitCodes.Refused, exit);
        Assert.Contains("completed_with_errors", text);

        refuse = false;
        (exit, text, _) = await RunAsync(farm, ["jobs", "retry", id]);
        Assert.True(exit == ExitCodes.Success, text);
        await farm.WaitForJobAsync(accepted.Id, j => j.Status == "completed", TimeSpan.FromSeconds(60));

        (exit, text, output) = await RunAsync(farm, ["jobs", "download", id, "--out", _out.FullName, "--json"]);
        Assert.True(exit == ExitCodes.Success, text);
        using (var downloaded = JsonDocument.Parse(output))
        {
            var files = downloaded.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToList();
            Assert.Equal(["a willing cat", "a stubborn mule"], files.Select(f => ImageMetadataReader.ReadParameters(File.ReadAllBytes(f))!.Split('\n')[0]));
        }

        (exit, _, output) = await RunAsync(farm, ["workers", "--json"]);
        Assert.Equal(ExitCodes.Success, exit);
        using (var workers = JsonDocument.Parse(output))
        {
            var worker = Assert.Single(workers.RootElement.EnumerateArray());
            Assert.Equal("worker-0", worker.GetProperty("id").GetString());
            Assert.Equal([model], worker.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
            Assert.Equal("active", worker.GetProperty("state").GetString());
        }

        (exit, text, output) = await RunAsync(farm, ["workers", "drain", "worker-0", "--json"]);
        Assert.True(exit == ExitCodes.Success, text);
        Assert.Equal("draining", JsonDocument.Parse(output).RootElement.GetProperty("state").GetString());
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            // The worker's own heartbeat says so once it has acted on the drain.
            while ((await farm.Api.GetFromJsonAsync<List<WorkerRecord>>("/api/workers"))!.Single().State != "draining")
            {
                await Task.Delay(100, deadline.Token);
            }
        }

        (exit, text, _) = await RunAsync(farm, ["workers", "release", "worker-0"]);
        Assert.True(exit == ExitCodes.Success, text);
        Assert.Contains("worker-0 active", text);
        (exit, text, _) = await RunAsync(farm, ["workers", "drain", "no-such-worker"]);
        Assert.Equal(ExitCodes.Refused, exit);
        Assert.Contains("there is no live worker", text);

        (exit, text, _) = await RunAsync(farm, ["jobs", "show", Guid.NewGuid().ToString("D")]);
        Assert.Equal(ExitCodes.Refused, exit);
        Assert.Contains("there is no job", text);

        (exit, text, _) = await RunAsync(farm, ["jobs", "list", "--status", "sleeping"]);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("status", text);
    }

    [Fact]
    public async Task Pausing_resuming_reprioritising_and_cancelling_an_active_job_and_a_farm_that_cannot_be_reached_exits_3()
    {
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, []);
        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["never rendered"], Count = 2 });
        var id = accepted.Id.ToString("D");

        var (exit, text, output) = await RunAsync(farm, ["jobs", "pause", id, "--json"]);
        Assert.True(exit == ExitCodes.Success, text);
        Assert.Equal("paused", JsonSerializer.Deserialize<JobView>(output, Web)!.Status);

        (exit, text, _) = await RunAsync(farm, ["jobs", "priority", id, "high"]);
        Assert.True(exit == ExitCodes.Success, text);
        Assert.Equal(("paused", "high"), ((await farm.GetJobAsync(accepted.Id)).Status, (await farm.GetJobAsync(accepted.Id)).Priority));

        // Not a priority: refused by the command line (which lists low, normal and high on standard error), nothing sent.
        (exit, _, _) = await RunAsync(farm, ["jobs", "priority", id, "urgent"]);
        Assert.NotEqual(ExitCodes.Success, exit);
        Assert.Equal("high", (await farm.GetJobAsync(accepted.Id)).Priority);

        (exit, text, _) = await RunAsync(farm, ["jobs", "resume", id]);
        Assert.True(exit == ExitCodes.Success, text);
        Assert.Equal("queued", (await farm.GetJobAsync(accepted.Id)).Status);

        (exit, text, output) = await RunAsync(farm, ["jobs", "cancel", id, "--json"]);

        Assert.True(exit == ExitCodes.Success, text);
        Assert.Equal(("cancelled", 2), (JsonSerializer.Deserialize<JobView>(output, Web)!.Status, (await farm.GetJobAsync(accepted.Id)).Cancelled));

        // A finished job cannot be paused or resumed: refused, saying its status (exit 4).
        (exit, text, _) = await RunAsync(farm, ["jobs", "pause", id]);
        Assert.Equal(ExitCodes.Refused, exit);
        Assert.Contains("cancelled", text, StringComparison.Ordinal);

        // A port nothing listens on: the farm is not there.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        (exit, text, _) = await RunAsync(null, ["workers", "--server", $"http://127.0.0.1:{port}"]);
        Assert.Equal(ExitCodes.FarmError, exit);
        Assert.Contains("failed", text);
    }

    /// <returns>The exit code, what went to the console, and what went to standard output (JSON, ids).</returns>
    private static async Task<(int Exit, string Console, string Output)> RunAsync(TestFarm? farm, string[] args, string stdin = "")
    {
        using var console = new CapturedConsole();
        using var output = new StringWriter();
        using var input = new StringReader(stdin);
        var withServer = farm is null || args.Contains("--server") ? args : [.. args, "--server", farm.Api.BaseAddress!.ToString(), "--api-key", farm.AdminKey];
        var exit = await CliApplication.Create(console.Console, input: input, output: output).Parse(withServer).InvokeAsync();
        return (exit, console.Text, output.ToString());
    }
}

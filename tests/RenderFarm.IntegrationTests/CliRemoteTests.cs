using RenderFarm.Cli;
using RenderFarm.Infrastructure.Imaging;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary><c>renderfarm render --server URL</c> against a coordinator on the real servers.</summary>
public sealed class CliRemoteTests : IDisposable
{
    private readonly DirectoryInfo _out = Directory.CreateTempSubdirectory("rf-cli-");

    public void Dispose() => _out.Delete(recursive: true);

    [Fact]
    public async Task Render_with_a_server_submits_there_and_downloads_every_image()
    {
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(20))]);
        using var console = new CapturedConsole();

        var exit = await CliApplication.Create(console.Console)
            .Parse(["render", "a red fox", "a blue jay", "--count", "2", "--seed", "7", "--negative", "blurry", "--server", farm.Api.BaseAddress!.ToString(), "--api-key", farm.AdminKey, "--out", _out.FullName])
            .InvokeAsync();

        Assert.True(exit == 0, console.Text);
        var files = _out.GetFiles("*.png").OrderBy(f => f.Name, StringComparer.Ordinal).ToArray();
        Assert.Equal(4, files.Length);
        var parameters = files.Select(f => ImageMetadataReader.ReadParameters(File.ReadAllBytes(f.FullName))).ToArray();
        Assert.Equal(
            ["a red fox|Seed: 7", "a red fox|Seed: 8", "a blue jay|Seed: 9", "a blue jay|Seed: 10"],
            parameters.Select(p => $"{p!.Split('\n')[0]}|{p.Split(", ")[3]}"));
        Assert.All(parameters, p => Assert.Contains("Negative prompt: blurry", p));
        Assert.Contains("completed", console.Text);
    }

    [Fact]
    public async Task A_bad_option_is_named_and_nothing_is_submitted()
    {
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, []);
        using var console = new CapturedConsole();

        var exit = await CliApplication.Create(console.Console)
            .Parse(["render", "a red fox", "--width", "100", "--steps", "0", "--server", farm.Api.BaseAddress!.ToString(), "--api-key", farm.AdminKey, "--out", _out.FullName])
            .InvokeAsync();

        Assert.Equal(2, exit);
        Assert.Contains("--width: The width must be a multiple of 8", console.Text);
        Assert.Contains("--steps: Steps must be between", console.Text);
        await using var db = farm.CreateDbContext();
        Assert.Empty(db.Jobs);
    }
}

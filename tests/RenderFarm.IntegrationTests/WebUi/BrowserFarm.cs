using Microsoft.Playwright;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests.WebUi;

/// <summary>A coordinator with one test worker, and Debian's Chromium driven by Playwright.</summary>
public sealed class BrowserFarm : IAsyncLifetime
{
    /// <summary>Debian's package; Playwright's own browser downloads are never used.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public TestFarm Farm { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress => Farm.Api.BaseAddress!;

    /// <summary>Screenshots are test artefacts: <c>TestResults/screenshots/</c> at the repository root (ignored by git).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(FindRepositoryRoot(), "TestResults", "screenshots");

    /// <summary>A model the coordinator knows (configured) and no worker serves: its jobs wait.</summary>
    public string IdleModel { get; } = TestFarm.NewModelName();

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run the tests through scripts/test.sh, which installs Debian's chromium.");
        }

        var model = TestFarm.NewModelName();
        // Slow enough that a big job is still running when the page cancels it; fast enough for small jobs.
        Farm = await TestFarm.StartAsync(model, coordinators: 1, [new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(150))],
            new Dictionary<string, string?> { ["Models:Available:0:MaxSize"] = "1024", ["Models:Available:1:Name"] = IdleModel });
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>A page of a fresh browser context, signed in through the sign-in form with <paramref name="key"/> (the admin's by default).</summary>
    public async Task<IPage> NewPageAsync(string? key = null)
    {
        var page = await NewSignedOutPageAsync();
        await page.GotoAsync("/");
        await page.FillAsync("#signin-key", key ?? Farm.AdminKey);
        await page.ClickAsync("#signin-form button[type=submit]");
        await page.WaitForSelectorAsync("#whoami:not([hidden])");
        return page;
    }

    public async Task<IPage> NewSignedOutPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1360, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <param name="fullPage">Off for modal dialogs, which Chromium pins to the viewport in full-page shots.</param>
    public static Task ScreenshotAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = fullPage });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Farm is not null)
        {
            await Farm.DisposeAsync();
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RenderFarm.sln")))
            {
                return dir.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}

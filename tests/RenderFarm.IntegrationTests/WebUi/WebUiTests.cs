using System.Net.Http.Json;
using Microsoft.Playwright;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Jobs;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests.WebUi;

/// <summary>The web UI in a real browser against a real coordinator and worker; each page leaves a screenshot.</summary>
public sealed class WebUiTests(BrowserFarm fixture) : IClassFixture<BrowserFarm>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_job_submitted_from_the_generate_page_shows_its_images_as_they_finish_and_one_opens_with_its_seed()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/generate");
        await Expect(page.Locator("#model")).ToHaveValueAsync(fixture.Farm.Model);

        await page.FillAsync("#prompts", "a lighthouse at dawn\na red fox in the snow");
        await page.FillAsync("#negativePrompt", "blurry");
        await page.FillAsync("#count", "3");
        await page.SelectOptionAsync("#size", "576x1024");
        await page.SelectOptionAsync("#seedMode", "fixed");
        await page.FillAsync("#seed", "1000");
        await Expect(page.Locator("#noise")).ToHaveValueAsync("");
        await page.SelectOptionAsync("#noise", "renderfarm");
        await Expect(page.Locator("#image-total")).ToHaveTextAsync("2 prompts × 3 = 6 images");
        await page.ClickAsync("#submit");

        await Expect(page.Locator("#live-images .tile img")).ToHaveCountAsync(6, new() { Timeout = 60_000 });
        await Expect(page.Locator("#job-counts")).ToContainTextAsync("6 of 6 rendered", new() { Timeout = 60_000 });
        await Expect(page.Locator("#job-progress [data-status]")).ToHaveTextAsync("completed");
        // Thumbnails of the 576×1024 images: 144×256.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#live-images img')].every(i => i.complete && i.naturalWidth === 144 && i.naturalHeight === 256)");
        await BrowserFarm.ScreenshotAsync(page, "generate");

        await page.ClickAsync("#live-images .tile[data-index='4']");
        await Expect(page.Locator("#lightbox")).ToBeVisibleAsync();
        await Expect(page.Locator("#lightbox-seed")).ToHaveTextAsync("1004");
        await Expect(page.Locator("#lightbox-prompt")).ToHaveTextAsync("a red fox in the snow");
        await Expect(page.Locator("#lightbox-text")).ToContainTextAsync("Seed: 1004, Size: 576x1024");
        await page.WaitForFunctionAsync("() => document.getElementById('lightbox-img').naturalWidth === 576");
        await BrowserFarm.ScreenshotAsync(page, "lightbox", fullPage: false);

        // The job really is what the form said.
        var jobId = Guid.Parse((await page.Locator("#job-progress").GetAttributeAsync("data-job-id"))!);
        var job = await fixture.Farm.GetJobAsync(jobId);
        Assert.Equal(["a lighthouse at dawn", "a red fox in the snow"], job.Prompts!);
        Assert.Equal(("blurry", 3, 576, 1024, 1000L, "renderfarm"), (job.NegativePrompt, job.Count, job.Width, job.Height, job.Seed, job.Noise));
    }

    [Fact]
    public async Task The_schedules_page_adds_a_schedule_names_a_bad_cron_runs_it_now_and_pauses_it()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/schedules");
        await page.FillAsync("#schedule-name", "Daily social media art");
        await page.FillAsync("#schedule-promptTemplates", "a watercolor of {city} in {season}");
        await page.FillAsync("#schedule-lists", "city: Berlin, Lisbon");
        await page.FillAsync("#schedule-count", "2");
        await page.FillAsync("#schedule-cron", "every morning");
        await page.FillAsync("#schedule-timeZone", "Europe/Berlin");
        await page.ClickAsync("#schedule-submit");

        await Expect(page.Locator("[data-error-for='cron']")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("[data-error-for='timeZone']")).ToBeEmptyAsync();
        await Expect(page.Locator("#schedules-table tbody tr")).ToHaveCountAsync(0);

        await page.FillAsync("#schedule-cron", "0 0 7 * * ?");
        await page.ClickAsync("#schedule-submit");
        var row = page.Locator("#schedules-table tbody tr", new() { HasText = "Daily social media art" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Europe/Berlin");
        var scheduleId = Guid.Parse((await row.GetAttributeAsync("data-schedule-id"))!);

        await row.Locator("[data-action='run-now']").ClickAsync();
        var jobs = await fixture.Farm.WaitForScheduledJobsAsync(scheduleId, 1, Patience);
        var images = (await fixture.Farm.Api.GetFromJsonAsync<List<JobImageView>>($"/api/jobs/{jobs[0].Id:D}/images"))!;
        Assert.Equal(2, images.Count);
        Assert.Matches("^a watercolor of (Berlin|Lisbon) in (winter|spring|summer|autumn)$", images[0].Prompt);
        await Expect(row).ToContainTextAsync("1");

        await row.Locator("[data-action='pause']").ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-paused", "true");
        await Expect(row.Locator("[data-action='resume']")).ToBeVisibleAsync();
        await BrowserFarm.ScreenshotAsync(page, "schedules");
    }

    [Fact]
    public async Task Validation_errors_from_the_api_appear_beside_the_field_that_caused_them()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/generate");
        await page.FillAsync("#prompts", "a lighthouse");
        await page.SelectOptionAsync("#size", "custom");
        await page.FillAsync("#width", "500");
        await page.FillAsync("#steps", "0");
        await page.ClickAsync("#submit");

        await Expect(page.Locator("[data-error-for='width']")).ToContainTextAsync("multiple of 8");
        await Expect(page.Locator("[data-field='width']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("invalid"));
        await Expect(page.Locator("[data-error-for='steps']")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("[data-error-for='height']")).ToBeEmptyAsync();
        await Expect(page.Locator("[data-error-for='prompts']")).ToBeEmptyAsync();
        await Expect(page.Locator("#job-progress")).ToBeHiddenAsync();
        await BrowserFarm.ScreenshotAsync(page, "generate-validation");

        // Fixing the field clears its error.
        await page.FillAsync("#width", "512");
        await Expect(page.Locator("[data-error-for='width']")).ToBeEmptyAsync();
    }

    [Fact]
    public async Task The_jobs_page_changes_a_running_jobs_priority_cancels_it_and_re_runs_one_with_the_same_parameters()
    {
        var finished = await fixture.Farm.SubmitAsync(new JobRequest { Prompts = ["a finished job"], Count = 2, Seed = 77, Steps = 3, Noise = "renderfarm" });
        await fixture.Farm.WaitForJobAsync(finished.Id, j => j.Status == "completed", Patience);
        var running = await fixture.Farm.SubmitAsync(new JobRequest { Prompts = ["a very long job"], Count = 1000 });

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/jobs");
        var row = page.Locator($"#jobs-table tr[data-job-id='{running.Id:D}']");
        await Expect(row).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("queued|running"));
        await BrowserFarm.ScreenshotAsync(page, "jobs");
        await row.Locator("[data-action='priority']").SelectOptionAsync("high");
        await Expect(page.Locator("#toast")).ToContainTextAsync("now has high priority");
        Assert.Equal("high", (await fixture.Farm.GetJobAsync(running.Id)).Priority);
        await row.Locator("[data-action='cancel']").ClickAsync();

        await Expect(row).ToHaveAttributeAsync("data-status", "cancelled");
        await Expect(row.Locator("[data-action='cancel']")).ToHaveCountAsync(0);
        Assert.Equal("cancelled", (await fixture.Farm.GetJobAsync(running.Id)).Status);

        var finishedRow = page.Locator($"#jobs-table tr[data-job-id='{finished.Id:D}']");
        await Expect(finishedRow.Locator("[data-action='zip']")).ToHaveAttributeAsync("href", $"/api/jobs/{finished.Id:D}/archive");
        var before = (await fixture.Farm.Api.GetFromJsonAsync<List<JobView>>("/api/jobs"))!.Select(j => j.Id).ToHashSet();
        await finishedRow.Locator("[data-action='rerun']").ClickAsync();
        await Expect(page.Locator("#toast")).ToContainTextAsync("Re-running as job");

        var rerun = Assert.Single((await fixture.Farm.Api.GetFromJsonAsync<List<JobView>>("/api/jobs"))!, j => !before.Contains(j.Id));
        Assert.Equal(["a finished job"], rerun.Prompts!);
        Assert.Equal((2, 77L, 3, "renderfarm"), (rerun.Count, rerun.Seed, rerun.Steps, rerun.Noise));
        await Expect(page.Locator($"#jobs-table tr[data-job-id='{rerun.Id:D}']")).ToHaveCountAsync(1);
        await fixture.Farm.WaitForJobAsync(rerun.Id, j => j.Status == "completed", Patience);
        await page.ReloadAsync();
        await Expect(page.Locator($"#jobs-table tr[data-job-id='{rerun.Id:D}']")).ToHaveAttributeAsync("data-status", "completed");
        await BrowserFarm.ScreenshotAsync(page, "jobs-after-cancel");

        // Edit opens the job's parameters in the form.
        await page.Locator($"#jobs-table tr[data-job-id='{finished.Id:D}'] a:text('Edit')").ClickAsync();
        await Expect(page.Locator("#prompts")).ToHaveValueAsync("a finished job");
        await Expect(page.Locator("#seed")).ToHaveValueAsync("77");
        await Expect(page.Locator("#steps")).ToHaveValueAsync("3");
        await Expect(page.Locator("#count")).ToHaveValueAsync("2");
    }

    [Fact]
    public async Task The_gallery_shows_thumbnails_filters_by_prompt_and_opens_an_image_with_its_parameters()
    {
        var boats = await fixture.Farm.SubmitAsync(new JobRequest { Prompts = ["a sailing boat", "a harbour at night"], Count = 3, Seed = 5000, Width = 512, Height = 512 });
        await fixture.Farm.WaitForJobAsync(boats.Id, j => j.Status == "completed", Patience);

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/#/gallery?job={boats.Id:D}");
        await Expect(page.Locator("#gallery-grid .tile")).ToHaveCountAsync(6);
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#gallery-grid img')].every(i => i.complete && i.naturalWidth === 256)");
        await BrowserFarm.ScreenshotAsync(page, "gallery");

        await page.FillAsync("#filter-prompt", "HARBOUR");
        await page.ClickAsync("#gallery-filters button[type='submit']");
        await Expect(page.Locator("#gallery-grid .tile")).ToHaveCountAsync(3);
        Assert.Contains("prompt=HARBOUR", page.Url, StringComparison.Ordinal);

        await page.Locator("#gallery-grid .tile").First.ClickAsync();
        await Expect(page.Locator("#lightbox-prompt")).ToHaveTextAsync("a harbour at night");
        var seed = long.Parse(await page.Locator("#lightbox-seed").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seed, 5003, 5005);
        await Expect(page.Locator("#lightbox-text")).ToContainTextAsync($"Seed: {seed}, Size: 512x512");
        await page.ClickAsync("#lightbox-copy");
        await Expect(page.Locator("#toast")).ToHaveTextAsync("Parameters copied");
        await page.ClickAsync("#lightbox-close");
        await Expect(page.Locator("#lightbox")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task The_farm_page_lists_the_worker_and_the_last_days_output()
    {
        var job = await fixture.Farm.SubmitAsync(new JobRequest { Prompts = ["for the chart"], Count = 4 });
        await fixture.Farm.WaitForJobAsync(job.Id, j => j.Status == "completed", Patience);

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/farm");
        var worker = page.Locator("#workers-table tr[data-worker-id='worker-0']");
        await Expect(worker).ToContainTextAsync("test-pattern");
        await Expect(worker).ToContainTextAsync(fixture.Farm.Model);

        // An admin drains the worker from its row and releases it again (the worker says so in its heartbeats).
        await Expect(worker.Locator(".worker-state")).ToHaveTextAsync("active");
        await worker.Locator("button[data-worker-action='drain']").ClickAsync();
        await Expect(worker.Locator(".worker-state")).ToContainTextAsync("draining");
        await Expect(worker.Locator(".worker-state")).ToContainTextAsync("drained by an operator");
        await worker.Locator("button[data-worker-action='release']").ClickAsync();
        await Expect(worker.Locator(".worker-state")).ToHaveTextAsync("active");
        Assert.Equal(24, await page.Locator("#images-per-hour rect.bar").CountAsync());
        var lastHour = int.Parse((await page.Locator("#images-per-hour rect.bar").Last.GetAttributeAsync("data-value"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(lastHour >= 4, $"last hour shows {lastHour} images");
        await BrowserFarm.ScreenshotAsync(page, "farm");
    }

    [Fact]
    public async Task Signing_in_takes_a_key_shows_only_the_studios_jobs_and_a_revoked_key_ends_the_session()
    {
        var (artistClient, artist, _) = await fixture.Farm.CreateStudioClientAsync("web-studio", "artist");
        using var _ = artistClient;
        var ours = await artistClient.PostAsJsonAsync("/api/jobs", new JobRequest { Prompts = ["the studio's own job"], Count = 1 });
        var ourJob = (await ours.Content.ReadFromJsonAsync<JobAccepted>())!;
        var theirs = await fixture.Farm.SubmitAsync(new JobRequest { Prompts = ["the admins' job"], Count = 1 });

        var page = await fixture.NewSignedOutPageAsync();
        await page.GotoAsync("/#/jobs");
        await Expect(page.Locator("#signin")).ToBeVisibleAsync();
        await Expect(page.Locator("#view")).ToBeHiddenAsync();
        await page.FillAsync("#signin-key", "rf_" + new string('x', 43));
        await page.ClickAsync("#signin-form button[type=submit]");
        await Expect(page.Locator("#signin-error")).ToContainTextAsync("not valid");

        await page.FillAsync("#signin-key", artist.Key);
        await page.ClickAsync("#signin-form button[type=submit]");
        await Expect(page.Locator("#whoami-text")).ToHaveTextAsync("web-studio · artist");
        await Expect(page.Locator($"[data-job-id='{ourJob.Id}']").First).ToBeVisibleAsync();
        await Expect(page.Locator($"[data-job-id='{theirs.Id}']")).ToHaveCountAsync(0);
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "renderfarm-session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        await BrowserFarm.ScreenshotAsync(page, "signed-in");

        using var revoked = await fixture.Farm.Api.PostAsync($"/api/keys/{artist.Info.Id:D}/revoke", null);
        revoked.EnsureSuccessStatusCode();
        await page.GotoAsync("/#/gallery");
        await page.ReloadAsync();
        await Expect(page.Locator("#signin")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_usage_page_shows_each_studios_images_and_gpu_seconds_with_a_chart_and_csv()
    {
        var job = await fixture.Farm.SubmitAsync(new JobRequest { Prompts = ["for the bill"], Count = 4 });
        await fixture.Farm.WaitForJobAsync(job.Id, j => j.Status == "completed", Patience);

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using var api = await fixture.Farm.Api.GetAsync($"/api/usage?from={today}&groupBy=day");
        Assert.True(api.IsSuccessStatusCode, await api.Content.ReadAsStringAsync());

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/#/usage");
        await BrowserFarm.ScreenshotAsync(page, "usage");
        var operations = page.Locator("#usage-table tr[data-key='operations']");
        await Expect(operations).ToBeVisibleAsync();
        var images = int.Parse(await operations.Locator("td").Nth(1).InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(images >= 4, $"usage shows {images} images");
        Assert.True(await page.Locator("#gpu-seconds-per-day rect.bar").CountAsync() >= 1);
        await page.SelectOptionAsync("#usage-group", "model");
        await Expect(page.Locator($"#usage-table tr[data-key='{fixture.Farm.Model}']")).ToBeVisibleAsync();
        Assert.Contains("format=csv", await page.Locator("#usage-csv").GetAttributeAsync("href"));
        await BrowserFarm.ScreenshotAsync(page, "usage");
    }

    [Fact]
    public async Task The_farm_page_says_which_model_has_no_worker_and_the_form_marks_it()
    {
        var job = await fixture.Farm.SubmitAsync(new JobRequest { Prompts = ["waits"], Count = 3, Model = fixture.IdleModel });
        try
        {
            var page = await fixture.NewPageAsync();
            await page.GotoAsync("/#/farm");
            var banner = page.Locator($"[data-unserved-model='{fixture.IdleModel}']");
            await Expect(banner).ToContainTextAsync($"No worker for model {fixture.IdleModel}");
            await Expect(banner).ToContainTextAsync("3 images of 1 job waiting");
            await BrowserFarm.ScreenshotAsync(page, "farm-unserved");

            await page.GotoAsync("/#/generate");
            await Expect(page.Locator($"#model option[value='{fixture.IdleModel}']")).ToHaveTextAsync($"{fixture.IdleModel} (no worker)");
            await Expect(page.Locator($"#model option[value='{fixture.Farm.Model}']")).ToHaveTextAsync(fixture.Farm.Model);
            // The farm's model is made for 64², which becomes the first size offered.
            await Expect(page.Locator("#size option").First).ToHaveAttributeAsync("value", "64x64");
        }
        finally
        {
            (await fixture.Farm.Api.PostAsync($"/api/jobs/{job.Id:D}/cancel", null)).Dispose();
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}

using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RenderFarm.Coordinator.Farm;
using RenderFarm.Coordinator.Images;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Models;
using RenderFarm.Core.Jobs;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;
using SkiaSharp;

namespace RenderFarm.IntegrationTests;

/// <summary>The endpoints the web UI stands on: models, archives, thumbnails, the gallery listing, the farm overview, events.</summary>
public sealed class WebApiTests(WebApiTests.TwoReplicaFarm fixture) : IClassFixture<WebApiTests.TwoReplicaFarm>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TestFarm _farm = fixture.Farm;

    [Fact]
    public async Task Models_lists_the_catalog_with_size_rules_and_defaults()
    {
        var models = (await _farm.Api.GetFromJsonAsync<List<ModelView>>("/api/models"))!;

        Assert.Equal([_farm.Model, fixture.IdleModel], models.Select(m => m.Name));
        var served = models[0];
        Assert.True(served.IsDefault);
        Assert.False(models[1].IsDefault);
        Assert.Equal((8, 64, 64, 2), (served.SizeMultiple, served.DefaultWidth, served.DefaultHeight, served.DefaultSteps));
        Assert.Equal(16, models[1].SizeMultiple);
    }

    [Fact]
    public async Task The_archive_is_a_zip_of_every_rendered_image_byte_for_byte()
    {
        var job = await RenderAsync(new JobRequest { Prompts = ["zip a", "zip b"], Count = 3, Seed = 300 });

        using var response = await _farm.Api.GetAsync($"/api/jobs/{job.Id:D}/archive");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        await using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);

        var images = (await _farm.Api.GetFromJsonAsync<List<JobImageView>>($"/api/jobs/{job.Id:D}/images"))!;
        Assert.Equal(6, zip.Entries.Count);
        Assert.Equal(images.Select(i => $"{job.Id.ToString("N")[..8]}-{i.Index:D4}-{i.Seed}.png"), zip.Entries.Select(e => e.FullName));
        foreach (var (entry, image) in zip.Entries.Zip(images))
        {
            using var content = new MemoryStream();
            await using (var stream = await entry.OpenAsync())
            {
                await stream.CopyToAsync(content);
            }

            Assert.Equal(await _farm.Api.GetByteArrayAsync(image.Url), content.ToArray());
        }

        using var missing = await _farm.Api.GetAsync($"/api/jobs/{Guid.NewGuid():D}/archive");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    /// <remarks>
    /// Smaller in pixels; in bytes too for real renders, but not for the test engine's flat pattern, which PNG packs
    /// into less than any JPEG.
    /// </remarks>
    [Fact]
    public async Task A_thumbnail_is_a_small_jpeg_made_once_and_kept_in_the_store()
    {
        var job = await RenderAsync(new JobRequest { Prompts = ["thumb"], Width = 512, Height = 384, Seed = 9 });
        var image = (await _farm.Api.GetFromJsonAsync<List<JobImageView>>($"/api/jobs/{job.Id:D}/images"))!.Single();
        var key = $"thumbs/jobs/{job.Id:D}/000000.jpg";
        Assert.Empty(await _farm.ListObjectsAsync(key));

        using var first = await _farm.Api.GetAsync($"/api/images/{image.Id:D}/thumbnail");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("image/jpeg", first.Content.Headers.ContentType?.MediaType);
        var thumbnail = await first.Content.ReadAsByteArrayAsync();

        using (var bitmap = SKBitmap.Decode(thumbnail))
        {
            Assert.Equal((256, 192), (bitmap.Width, bitmap.Height));
        }

        Assert.Equal([key], await _farm.ListObjectsAsync(key));

        // The second request is served from the store: the same bytes, from the other replica too.
        Assert.Equal(thumbnail, await _farm.Coordinators[1].GetByteArrayAsync($"/api/images/{image.Id:D}/thumbnail"));
    }

    [Fact]
    public async Task Image_details_carry_the_parameters_embedded_in_the_file()
    {
        // The noise the job asks for travels with each RenderImage to the worker's engine and into the file.
        var job = await RenderAsync(new JobRequest { Prompts = ["details"], NegativePrompt = "blurry", Count = 2, Seed = 70, Steps = 3, Noise = "renderfarm" });
        var image = (await _farm.Api.GetFromJsonAsync<List<JobImageView>>($"/api/jobs/{job.Id:D}/images"))!.Single(i => i.Index == 1);

        var details = (await _farm.Api.GetFromJsonAsync<ImageDetailsView>($"/api/images/{image.Id:D}"))!;

        Assert.Equal((job.Id, 71L, "details", "blurry", 3), (details.JobId, details.Seed, details.Prompt, details.NegativePrompt, details.Steps));
        Assert.Equal($"details\nNegative prompt: blurry\nSteps: 3, Sampler: Test pattern, CFG scale: 0, Seed: 71, Size: 64x64, Model: {_farm.Model}, RNG: renderfarm", details.Parameters);
        Assert.Equal("renderfarm", (await _farm.Api.GetFromJsonAsync<JobView>($"/api/jobs/{job.Id:D}"))!.Noise);
        using var missing = await _farm.Api.GetAsync($"/api/images/{Guid.NewGuid():D}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task The_image_listing_filters_by_job_prompt_text_model_and_date()
    {
        var boats = await RenderAsync(new JobRequest { Prompts = ["A Sailing BOAT at dusk", "a harbour"], Count = 2, Seed = 500 });
        var other = await RenderAsync(new JobRequest { Prompts = ["a sailing boat again"], Count = 1, Seed = 600 });

        async Task<List<GalleryImageView>> ListAsync(string query) => (await _farm.Api.GetFromJsonAsync<List<GalleryImageView>>($"/api/images?{query}"))!;

        var byJob = await ListAsync($"jobId={boats.Id:D}");
        Assert.Equal(4, byJob.Count);
        Assert.All(byJob, i => Assert.Equal(boats.Id, i.JobId));
        Assert.All(byJob, i => Assert.Equal($"/api/images/{i.Id:D}/thumbnail", i.ThumbnailUrl));

        var byPrompt = await ListAsync("prompt=sailing%20boat");
        Assert.Equal(3, byPrompt.Count);
        Assert.Equal(2, byPrompt.Count(i => i.JobId == boats.Id));
        Assert.Contains(byPrompt, i => i.JobId == other.Id);
        Assert.Equal(2, (await ListAsync($"prompt=SAILING&jobId={boats.Id:D}")).Count);

        Assert.Empty(await ListAsync($"model={fixture.IdleModel}&prompt=sailing"));
        Assert.Equal(3, (await ListAsync($"model={_farm.Model}&prompt=sailing")).Count);

        var finished = byPrompt.Max(i => i.FinishedAt!.Value);
        Assert.Empty(await ListAsync($"prompt=sailing&from={Uri.EscapeDataString(finished.AddSeconds(1).ToString("O"))}"));
        Assert.Equal(3, (await ListAsync($"prompt=sailing&from={Uri.EscapeDataString(finished.AddHours(-1).ToString("O"))}")).Count);
        Assert.Empty(await ListAsync($"prompt=sailing&to={Uri.EscapeDataString(finished.AddHours(-1).ToString("O"))}"));

        Assert.Single(await ListAsync("prompt=sailing&limit=1"));
        // Empty values, as HTML forms send them, mean "not given".
        Assert.Equal(4, (await ListAsync($"jobId={boats.Id:D}&prompt=&model=&from=&to=&limit=")).Count);
    }

    [Fact]
    public async Task The_farm_overview_shows_queue_depth_per_model_and_priority_and_the_images_of_the_day()
    {
        await RenderAsync(new JobRequest { Prompts = ["farm"], Count = 3 });
        // No worker serves the idle model, so its images stay queued.
        var waiting = await _farm.SubmitAsync(new JobRequest { Prompts = ["nobody renders this"], Count = 5, Model = fixture.IdleModel, Width = 64, Height = 64, Priority = "high" });

        var farm = (await _farm.Api.GetFromJsonAsync<FarmView>("/api/farm", Json))!;

        var queued = Assert.Single(farm.Queue, q => q.Model == fixture.IdleModel);
        Assert.Equal("high", queued.Priority);
        Assert.Equal(5, queued.Pending + queued.Dispatched);
        Assert.Equal(24, farm.ImagesPerHour.Count);
        Assert.True(farm.ImagesPerHour[^1].Images >= 3, $"last hour: {farm.ImagesPerHour[^1].Images}");
        var worker = Assert.Single(farm.Workers);
        Assert.Equal(("worker-0", "test-pattern", 4), (worker.Id, worker.Device, worker.BatchSize));
        Assert.True(worker.ImagesPerMinute > 0);

        await _farm.Api.PostAsync($"/api/jobs/{waiting.Id:D}/cancel", null);
    }

    [Fact]
    public async Task Every_replica_streams_every_image_event_to_its_listeners()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await using var first = await EventStream.OpenAsync(_farm.Coordinators[0], null, cancel.Token);
        await using var second = await EventStream.OpenAsync(_farm.Coordinators[1], null, cancel.Token);

        var accepted = await _farm.SubmitAsync(new JobRequest { Prompts = ["live"], Count = 3, Seed = 40 });
        using var filteredCancel = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
        await using var filtered = await EventStream.OpenAsync(_farm.Coordinators[1], accepted.Id, filteredCancel.Token);

        foreach (var stream in new[] { first, second })
        {
            var events = await stream.ReadAsync(e => e.Type == "imageRendered" && JobOf(e) == accepted.Id, 3, cancel.Token);
            Assert.Equal([40L, 41, 42], events.Select(e => e.Data.GetProperty("seed").GetInt64()).Order());
            Assert.All(events, e => Assert.StartsWith("/api/images/", e.Data.GetProperty("url").GetString(), StringComparison.Ordinal));
        }

        // Another job's event reaches the unfiltered stream of the filtered one's replica, but not the filtered one.
        await _farm.WaitForJobAsync(accepted.Id, j => j.Status == "completed", TimeSpan.FromMinutes(1));
        var other = await RenderAsync(new JobRequest { Prompts = ["not for the filtered stream"] });
        await second.ReadAsync(e => e.Type == "imageRendered" && JobOf(e) == other.Id, 1, cancel.Token);
        filteredCancel.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await filtered.ReadAsync(_ => false, 1, filteredCancel.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
        }

        Assert.DoesNotContain(filtered.Received, e => e.Type != "ready" && JobOf(e) != accepted.Id);
    }

    private static Guid JobOf((string Type, JsonElement Data) e) => e.Data.GetProperty("jobId").GetGuid();

    private async Task<JobView> RenderAsync(JobRequest request)
    {
        var accepted = await _farm.SubmitAsync(request);
        return await _farm.WaitForJobAsync(accepted.Id, j => j.Status == "completed", TimeSpan.FromMinutes(1));
    }

    public sealed class TwoReplicaFarm : IAsyncLifetime
    {
        public TestFarm Farm { get; private set; } = null!;

        public string IdleModel { get; } = TestFarm.NewModelName();

        public async Task InitializeAsync()
        {
            var model = TestFarm.NewModelName();
            Farm = await TestFarm.StartAsync(model, coordinators: 2, [new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(30))],
                new Dictionary<string, string?> { ["Models:Available:1:Name"] = IdleModel, ["Models:Available:1:SizeMultiple"] = "16" });
        }

        public async Task DisposeAsync() => await Farm.DisposeAsync();
    }
}

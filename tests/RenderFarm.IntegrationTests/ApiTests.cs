using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Jobs;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>The coordinator's HTTP contract, without workers: lookups, cancelling, health. Bad input: <see cref="BadInputCatalogueTests"/>.</summary>
public sealed class ApiTests(ApiTests.CoordinatorOnlyFarm fixture) : IClassFixture<ApiTests.CoordinatorOnlyFarm>
{
    private readonly TestFarm _farm = fixture.Farm;

    [Fact]
    public async Task Submitting_answers_202_with_the_job_location_and_the_rows_are_already_written()
    {
        using var response = await _farm.Api.PostAsJsonAsync("/api/jobs", new JobRequest { Prompts = ["a", "b"], Count = 3, Seed = 5 });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<JobAccepted>())!;
        Assert.Equal(6, accepted.ImageCount);
        Assert.Equal($"/api/jobs/{accepted.Id:D}", response.Headers.Location?.OriginalString);

        var job = await _farm.GetJobAsync(accepted.Id);
        Assert.Equal((6, 0, 5L), (job.Total, job.Completed, job.Seed));
        var images = (await _farm.Api.GetFromJsonAsync<List<JobImageView>>($"/api/jobs/{accepted.Id:D}/images"))!;
        Assert.Equal([5L, 6, 7, 8, 9, 10], images.Select(i => i.Seed));

        var listed = (await _farm.Api.GetFromJsonAsync<List<JobView>>("/api/jobs?limit=10"))!;
        Assert.Contains(listed, j => j.Id == accepted.Id);
        var unfiltered = (await _farm.Api.GetFromJsonAsync<List<JobView>>("/api/jobs?status=&limit="))!;
        Assert.Contains(unfiltered, j => j.Id == accepted.Id);
        var completed = (await _farm.Api.GetFromJsonAsync<List<JobView>>("/api/jobs?status=completed"))!;
        Assert.DoesNotContain(completed, j => j.Id == accepted.Id);
    }

    [Fact]
    public async Task A_rejected_job_leaves_nothing_behind_and_accepted_jobs_are_untouched()
    {
        var accepted = await _farm.SubmitAsync(new JobRequest { Prompts = ["keep me"] });
        using var rejected = await _farm.Api.PostAsJsonAsync("/api/jobs", new JobRequest { Prompts = ["x"], Count = 1000 });
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);

        await using var db = _farm.CreateDbContext();
        Assert.Equal(1, db.Jobs.Count(j => j.Id == accepted.Id));
        Assert.False(db.Jobs.Any(j => j.ImageCount == 1000));
    }

    [Theory]
    [InlineData("GET", "/api/jobs/00000000-0000-0000-0000-000000000001")]
    [InlineData("GET", "/api/jobs/00000000-0000-0000-0000-000000000001/images")]
    [InlineData("POST", "/api/jobs/00000000-0000-0000-0000-000000000001/cancel")]
    [InlineData("GET", "/api/images/00000000-0000-0000-0000-000000000001/content")]
    public async Task Unknown_jobs_and_images_are_404(string method, string path)
    {
        using var response = await _farm.Api.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Cancelling_a_queued_job_cancels_all_its_images()
    {
        var accepted = await _farm.SubmitAsync(new JobRequest { Prompts = ["never rendered"], Count = 20 });

        using var response = await _farm.Api.PostAsync($"/api/jobs/{accepted.Id:D}/cancel", null);

        var job = (await response.Content.ReadFromJsonAsync<JobView>())!;
        Assert.Equal(("cancelled", 20), (job.Status, job.Cancelled));
        Assert.NotNull(job.FinishedAt);
    }

    [Fact]
    public async Task Health_reports_database_bus_and_store_ready_on_real_servers()
    {
        using var response = await _farm.Api.GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var report = JsonDocument.Parse(body);
        Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
        var checks = report.RootElement.GetProperty("checks");
        Assert.All(["database", "store", "masstransit-bus"], name => Assert.Equal("Healthy", checks.GetProperty(name).GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Alive_answers_while_the_process_runs()
    {
        using var response = await _farm.Api.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>One coordinator and no workers, shared by the tests of this class.</summary>
    public sealed class CoordinatorOnlyFarm : IAsyncLifetime
    {
        public TestFarm Farm { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Farm = await TestFarm.StartAsync(TestFarm.NewModelName(), coordinators: 1, [], new Dictionary<string, string?> { ["Jobs:MaxImagesPerJob"] = "100" });

        public async Task DisposeAsync() => await Farm.DisposeAsync();
    }
}

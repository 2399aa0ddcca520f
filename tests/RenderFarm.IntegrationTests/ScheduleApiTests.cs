using System.Net;
using System.Net.Http.Json;
using System.Text;
using RenderFarm.Coordinator.Schedules;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary><c>/api/schedules</c> lookups and edits, on one coordinator without workers. Bad input: <see cref="BadInputCatalogueTests"/>.</summary>
public sealed class ScheduleApiTests(ScheduleApiTests.CoordinatorOnlyFarm fixture) : IClassFixture<ScheduleApiTests.CoordinatorOnlyFarm>
{
    private const string Valid = """ "name": "n", "cron": "0 0 7 * * ?", "timeZone": "Europe/Berlin", "promptTemplates": ["a watercolor of {city} in {season}, {date:dddd}"], "lists": { "city": ["Berlin"] } """;
    private readonly TestFarm _farm = fixture.Farm;

    [Fact]
    public async Task A_schedule_is_created_listed_replaced_and_deleted()
    {
        using var created = await _farm.Api.PostAsync("/api/schedules", new StringContent($$"""{ {{Valid}}, "job": { "count": 4 } }""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var schedule = (await created.Content.ReadFromJsonAsync<ScheduleView>())!;
        Assert.Equal($"/api/schedules/{schedule.Id:D}", created.Headers.Location?.OriginalString);
        Assert.Equal(("0 0 7 * * ?", "Europe/Berlin", 4), (schedule.Cron, schedule.TimeZone, schedule.Job.Count));
        // The next 07:00 in Berlin is 05:00 or 06:00 UTC, depending on daylight saving time.
        Assert.Contains(schedule.NextFireAt!.Value.UtcDateTime.Hour, new List<int> { 5, 6 });
        Assert.Contains((await _farm.Api.GetFromJsonAsync<List<ScheduleView>>("/api/schedules"))!, s => s.Id == schedule.Id);

        using var replaced = await _farm.Api.PutAsJsonAsync($"/api/schedules/{schedule.Id:D}", new { name = "evening", cron = "0 30 19 * * ?", timeZone = "UTC", promptTemplates = new List<string> { "dusk" } });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var current = (await _farm.Api.GetFromJsonAsync<ScheduleView>($"/api/schedules/{schedule.Id:D}"))!;
        Assert.Equal(("evening", "0 30 19 * * ?", "UTC", 19, 30), (current.Name, current.Cron, current.TimeZone, current.NextFireAt!.Value.Hour, current.NextFireAt.Value.Minute));
        Assert.Equal(["dusk"], current.PromptTemplates);

        using var rejected = await _farm.Api.PutAsJsonAsync($"/api/schedules/{schedule.Id:D}", new { name = "evening", cron = "nope", promptTemplates = new List<string> { "dusk" } });
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Equal("0 30 19 * * ?", (await _farm.Api.GetFromJsonAsync<ScheduleView>($"/api/schedules/{schedule.Id:D}"))!.Cron);

        using var deleted = await _farm.Api.DeleteAsync($"/api/schedules/{schedule.Id:D}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.DoesNotContain((await _farm.Api.GetFromJsonAsync<List<ScheduleView>>("/api/schedules"))!, s => s.Id == schedule.Id);
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("PUT", "")]
    [InlineData("DELETE", "")]
    [InlineData("POST", "/pause")]
    [InlineData("POST", "/resume")]
    [InlineData("POST", "/run-now")]
    public async Task Unknown_schedules_are_404(string method, string suffix)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/schedules/00000000-0000-0000-0000-000000000001{suffix}");
        if (method == "PUT")
        {
            request.Content = new StringContent($$"""{ {{Valid}} }""", Encoding.UTF8, "application/json");
        }

        using var response = await _farm.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public sealed class CoordinatorOnlyFarm : IAsyncLifetime
    {
        public TestFarm Farm { get; private set; } = null!;

        public async Task InitializeAsync() => Farm = await TestFarm.StartAsync(TestFarm.NewModelName(), coordinators: 1, []);

        public async Task DisposeAsync() => await Farm.DisposeAsync();
    }
}

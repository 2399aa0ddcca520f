using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using RenderFarm.Coordinator.Schedules;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>
/// Every kind of bad input the API takes, one case each: the status it answers, the field its problem details name,
/// and that nothing in the database changed. Paths may hold <c>{completed}</c>, <c>{completed_with_errors}</c>,
/// <c>{failed}</c>, <c>{cancelled}</c> (finished jobs) and <c>{schedule}</c> (a saved schedule), made by the fixture.
/// </summary>
public sealed class BadInputCatalogueTests(BadInputCatalogueTests.CatalogueFarm fixture) : IClassFixture<BadInputCatalogueTests.CatalogueFarm>
{
    private static readonly string TooLong = new('a', 2001);

    private static readonly IReadOnlyDictionary<string, BadInput> Catalogue = new BadInput[]
    {
        // POST /api/jobs: the job rules.
        new("job without prompts", "POST", "/api/jobs", "{ }", 400, "prompts"),
        new("job with no prompts", "POST", "/api/jobs", Job(j => j["prompts"] = new JsonArray()), 400, "prompts"),
        new("job with an empty prompt", "POST", "/api/jobs", Job(j => j["prompts"] = new JsonArray("")), 400, "prompts[0]"),
        new("job with a blank prompt", "POST", "/api/jobs", Job(j => j["prompts"] = new JsonArray(" \t ")), 400, "prompts[0]"),
        new("job with an empty second prompt", "POST", "/api/jobs", Job(j => j["prompts"] = new JsonArray("ok", "")), 400, "prompts[1]"),
        new("job with a null prompt", "POST", "/api/jobs", """{ "prompts": [null] }""", 400, "prompts[0]"),
        new("job with a too long prompt", "POST", "/api/jobs", Job(j => j["prompts"] = new JsonArray(TooLong)), 400, "prompts[0]"),
        new("job with a too long negative prompt", "POST", "/api/jobs", Job(j => j["negativePrompt"] = TooLong), 400, "negativePrompt"),
        new("job with count 0", "POST", "/api/jobs", Job(j => j["count"] = 0), 400, "count"),
        new("job with count -1", "POST", "/api/jobs", Job(j => j["count"] = -1), 400, "count"),
        new("job with count over the per-prompt limit", "POST", "/api/jobs", Job(j => j["count"] = 1001), 400, "count"),
        new("job with more images than a job may have", "POST", "/api/jobs", Job(j => { j["prompts"] = new JsonArray("x", "y"); j["count"] = 51; }), 400, "count"),
        new("job with width not a multiple of 8", "POST", "/api/jobs", Job(j => j["width"] = 500), 400, "width"),
        new("job with width under the minimum", "POST", "/api/jobs", Job(j => j["width"] = 8), 400, "width"),
        new("job with width over the maximum", "POST", "/api/jobs", Job(j => j["width"] = 4096), 400, "width"),
        new("job with a negative height", "POST", "/api/jobs", Job(j => j["height"] = -64), 400, "height"),
        new("job with steps 0", "POST", "/api/jobs", Job(j => j["steps"] = 0), 400, "steps"),
        new("job with steps over the limit", "POST", "/api/jobs", Job(j => j["steps"] = 151), 400, "steps"),
        new("job with guidance over the limit", "POST", "/api/jobs", Job(j => j["guidance"] = 99), 400, "guidance"),
        new("job with negative guidance", "POST", "/api/jobs", Job(j => j["guidance"] = -1), 400, "guidance"),
        new("job with a negative seed", "POST", "/api/jobs", Job(j => j["seed"] = -1), 400, "seed"),
        new("job with a seed over 2^32-1", "POST", "/api/jobs", Job(j => j["seed"] = 4294967296L), 400, "seed"),
        new("job with an unknown model", "POST", "/api/jobs", Job(j => j["model"] = "no-such-model"), 400, "model"),
        new("job with an unknown priority", "POST", "/api/jobs", Job(j => j["priority"] = "urgent"), 400, "priority"),
        new("job with an unknown format", "POST", "/api/jobs", Job(j => j["format"] = "gif"), 400, "format"),
        new("job with an unknown noise", "POST", "/api/jobs", Job(j => j["noise"] = "gpu"), 400, "noise"),
        new("job with noise as a number", "POST", "/api/jobs", Job(j => j["noise"] = 1), 400, "noise"),

        // POST /api/jobs: control characters.
        new("job prompt with NUL", "POST", "/api/jobs", Job(j => j["prompts"] = new JsonArray("a\0b")), 400, "prompts[0]"),
        new("job second prompt with NUL", "POST", "/api/jobs", Job(j => j["prompts"] = new JsonArray("fine", "\0")), 400, "prompts[1]"),
        new("job prompt of NUL and spaces", "POST", "/api/jobs", Job(j => j["prompts"] = new JsonArray(" \0 ")), 400, "prompts[0]"),
        new("job prompt with a bell", "POST", "/api/jobs", Job(j => j["prompts"] = new JsonArray("ring \a")), 400, "prompts[0]"),
        new("job prompt with an escape", "POST", "/api/jobs", Job(j => j["prompts"] = new JsonArray("\u001b[31mred")), 400, "prompts[0]"),
        new("job prompt with a lone surrogate", "POST", "/api/jobs", """{ "prompts": ["a \ud800 b"] }""", 400, "prompts[0]"),
        new("job negative prompt with NUL", "POST", "/api/jobs", Job(j => j["negativePrompt"] = "blurry\0"), 400, "negativePrompt"),
        new("job negative prompt with a form feed", "POST", "/api/jobs", Job(j => j["negativePrompt"] = "\f"), 400, "negativePrompt"),
        new("job model with NUL", "POST", "/api/jobs", Job(j => j["model"] = "\0"), 400, "model"),
        new("job priority with NUL", "POST", "/api/jobs", Job(j => j["priority"] = "high\0"), 400, "priority"),
        new("job format with NUL", "POST", "/api/jobs", Job(j => j["format"] = "png\0"), 400, "format"),

        // POST /api/jobs: the JSON itself.
        new("job with a misspelt member", "POST", "/api/jobs", """{ "prompts": ["x"], "cuont": 40 }""", 400, "cuont"),
        new("job with prompt for prompts", "POST", "/api/jobs", """{ "prompt": "x" }""", 400, "prompt"),
        new("job with an unknown object member", "POST", "/api/jobs", """{ "prompts": ["x"], "extra": { "a": 1 } }""", 400, "extra"),
        new("job with a repeated member", "POST", "/api/jobs", """{ "prompts": ["x"], "count": 1, "count": 99 }""", 400, "count"),
        new("job with width as a string", "POST", "/api/jobs", Job(j => j["width"] = "128"), 400, "width"),
        new("job with width as a word", "POST", "/api/jobs", Job(j => j["width"] = "wide"), 400, "width"),
        new("job with height as a word", "POST", "/api/jobs", Job(j => j["height"] = "tall"), 400, "height"),
        new("job with count as a string", "POST", "/api/jobs", Job(j => j["count"] = "4"), 400, "count"),
        new("job with steps as a string", "POST", "/api/jobs", Job(j => j["steps"] = "4"), 400, "steps"),
        new("job with guidance as a string", "POST", "/api/jobs", Job(j => j["guidance"] = "0"), 400, "guidance"),
        new("job with guidance NaN", "POST", "/api/jobs", Job(j => j["guidance"] = "NaN"), 400, "guidance"),
        new("job with seed as a string", "POST", "/api/jobs", Job(j => j["seed"] = "42"), 400, "seed"),
        new("job with a fractional count", "POST", "/api/jobs", Job(j => j["count"] = 1.5), 400, "count"),
        new("job with a count beyond int", "POST", "/api/jobs", """{ "prompts": ["x"], "count": 99999999999 }""", 400, "count"),
        new("job with a boolean width", "POST", "/api/jobs", Job(j => j["width"] = true), 400, "width"),
        new("job with prompts as a string", "POST", "/api/jobs", """{ "prompts": "x" }""", 400, "prompts"),
        new("job with a number for a prompt", "POST", "/api/jobs", """{ "prompts": [1] }""", 400, "prompts[0]"),
        new("job with a number for the negative prompt", "POST", "/api/jobs", Job(j => j["negativePrompt"] = 5), 400, "negativePrompt"),
        new("job with a number for the model", "POST", "/api/jobs", Job(j => j["model"] = 7), 400, "model"),
        new("job with a number for the priority", "POST", "/api/jobs", Job(j => j["priority"] = 1), 400, "priority"),
        new("job cut short", "POST", "/api/jobs", """{ "prompts": ["x"], """, 400, "body"),
        new("job with an empty body", "POST", "/api/jobs", "", 400, "body"),
        new("job that is null", "POST", "/api/jobs", "null", 400, "body"),
        new("job that is an array", "POST", "/api/jobs", """[{ "prompts": ["x"] }]""", 400, "body"),
        new("job that is a string", "POST", "/api/jobs", "\"x\"", 400, "body"),
        new("job followed by more JSON", "POST", "/api/jobs", """{ "prompts": ["x"] } { }""", 400, "body"),

        // GET /api/jobs.
        new("job list with an unknown status", "GET", "/api/jobs?status=sleeping", null, 400, "status"),
        new("job list with a NUL status", "GET", "/api/jobs?status=%00", null, 400, "status"),
        new("job list with limit 0", "GET", "/api/jobs?limit=0", null, 400, "limit"),
        new("job list with a negative limit", "GET", "/api/jobs?limit=-5", null, 400, "limit"),
        new("job list with limit over 1000", "GET", "/api/jobs?limit=1001", null, 400, "limit"),
        new("job list with a word for the limit", "GET", "/api/jobs?limit=many", null, 400, "limit"),
        new("job list with a fractional limit", "GET", "/api/jobs?limit=1.5", null, 400, "limit"),

        // GET /api/images.
        new("image list with limit 0", "GET", "/api/images?limit=0", null, 400, "limit"),
        new("image list with limit over 1000", "GET", "/api/images?limit=1001", null, 400, "limit"),
        new("image list with a word for the limit", "GET", "/api/images?limit=many", null, 400, "limit"),
        new("image list with a signed limit", "GET", "/api/images?limit=%2B5", null, 400, "limit"),
        new("image list with a job id that is no GUID", "GET", "/api/images?jobId=not-a-job", null, 400, "jobId"),
        new("image list with a NUL job id", "GET", "/api/images?jobId=%00", null, 400, "jobId"),
        new("image list from a word", "GET", "/api/images?from=yesterday", null, 400, "from"),
        new("image list to a word", "GET", "/api/images?to=never", null, 400, "to"),
        new("image list with NUL in the prompt", "GET", "/api/images?prompt=a%00b", null, 400, "prompt"),
        new("image list with NUL in the model", "GET", "/api/images?model=%00", null, 400, "model"),

        // POST /api/jobs/{id}/cancel of a finished job: 409, naming the job's status.
        new("cancel of a completed job", "POST", "/api/jobs/{completed}/cancel", null, 409, "completed"),
        new("cancel of a job completed with errors", "POST", "/api/jobs/{completed_with_errors}/cancel", null, 409, "completed_with_errors"),
        new("cancel of a failed job", "POST", "/api/jobs/{failed}/cancel", null, 409, "failed"),
        new("cancel of a cancelled job", "POST", "/api/jobs/{cancelled}/cancel", null, 409, "cancelled"),

        // POST /api/schedules: the schedule rules.
        new("schedule without a name", "POST", "/api/schedules", Schedule(s => s.Remove("name")), 400, "name"),
        new("schedule with a blank name", "POST", "/api/schedules", Schedule(s => s["name"] = "  "), 400, "name"),
        new("schedule with a too long name", "POST", "/api/schedules", Schedule(s => s["name"] = new string('n', 201)), 400, "name"),
        new("schedule without a cron", "POST", "/api/schedules", Schedule(s => s.Remove("cron")), 400, "cron"),
        new("schedule with a cron in words", "POST", "/api/schedules", Schedule(s => s["cron"] = "every day at seven"), 400, "cron"),
        new("schedule with a five-field cron", "POST", "/api/schedules", Schedule(s => s["cron"] = "0 7 * * *"), 400, "cron"),
        new("schedule with a cron that never fires again", "POST", "/api/schedules", Schedule(s => s["cron"] = "0 0 7 * * ? 2001"), 400, "cron"),
        new("schedule with an unknown zone", "POST", "/api/schedules", Schedule(s => s["timeZone"] = "Mars/Olympus_Mons"), 400, "timeZone"),
        new("schedule without templates", "POST", "/api/schedules", Schedule(s => s.Remove("promptTemplates")), 400, "promptTemplates"),
        new("schedule with no templates", "POST", "/api/schedules", Schedule(s => s["promptTemplates"] = new JsonArray()), 400, "promptTemplates"),
        new("schedule with an empty template", "POST", "/api/schedules", Schedule(s => s["promptTemplates"] = new JsonArray("")), 400, "promptTemplates[0]"),
        new("schedule with an unknown variable", "POST", "/api/schedules", Schedule(s => s["promptTemplates"] = new JsonArray("a {colour} fox")), 400, "promptTemplates[0]"),
        new("schedule with an empty choice", "POST", "/api/schedules", Schedule(s => s["promptTemplates"] = new JsonArray("ok", "a {red||blue} fox")), 400, "promptTemplates[1]"),
        new("schedule with a bad date format", "POST", "/api/schedules", Schedule(s => s["promptTemplates"] = new JsonArray("on {date:%}")), 400, "promptTemplates[0]"),
        new("schedule with an unclosed brace", "POST", "/api/schedules", Schedule(s => s["promptTemplates"] = new JsonArray("a {city")), 400, "promptTemplates[0]"),
        new("schedule with an unknown list", "POST", "/api/schedules", Schedule(s => s["promptTemplates"] = new JsonArray("in {town}")), 400, "promptTemplates[0]"),
        new("schedule with an empty list", "POST", "/api/schedules", Schedule(s => s["lists"] = new JsonObject { ["city"] = new JsonArray() }), 400, "lists.city"),
        new("schedule with an empty list item", "POST", "/api/schedules", Schedule(s => s["lists"] = new JsonObject { ["city"] = new JsonArray("Berlin", "") }), 400, "lists.city"),
        new("schedule with a list name that is no name", "POST", "/api/schedules", Schedule(s => s["lists"] = new JsonObject { ["city"] = new JsonArray("Lima"), ["two words"] = new JsonArray("a") }), 400, "lists.two words"),
        new("schedule with a list named like a variable", "POST", "/api/schedules", Schedule(s => s["lists"] = new JsonObject { ["city"] = new JsonArray("Lima"), ["date"] = new JsonArray("a") }), 400, "lists.date"),
        new("schedule with variations 0", "POST", "/api/schedules", Schedule(s => s["variations"] = 0), 400, "variations"),
        new("schedule with variations over the limit", "POST", "/api/schedules", Schedule(s => s["variations"] = 101), 400, "variations"),
        new("schedule with job prompts", "POST", "/api/schedules", Schedule(s => s["job"] = new JsonObject { ["prompts"] = new JsonArray("y") }), 400, "job.prompts"),
        new("schedule with a bad job width", "POST", "/api/schedules", Schedule(s => s["job"] = new JsonObject { ["width"] = 500 }), 400, "job.width"),
        new("schedule with an unknown job noise", "POST", "/api/schedules", Schedule(s => s["job"] = new JsonObject { ["noise"] = "nv" }), 400, "job.noise"),
        new("schedule with an unknown job model", "POST", "/api/schedules", Schedule(s => s["job"] = new JsonObject { ["model"] = "no-such-model" }), 400, "job.model"),
        new("schedule with a negative job seed", "POST", "/api/schedules", Schedule(s => s["job"] = new JsonObject { ["seed"] = -1 }), 400, "job.seed"),
        new("schedule with more images per firing than a job may have", "POST", "/api/schedules", Schedule(s => s["job"] = new JsonObject { ["count"] = 101 }), 400, "job.count"),

        // POST /api/schedules: control characters.
        new("schedule name with NUL", "POST", "/api/schedules", Schedule(s => s["name"] = "morning\0"), 400, "name"),
        new("schedule name with a bell", "POST", "/api/schedules", Schedule(s => s["name"] = "\amorning"), 400, "name"),
        new("schedule cron with NUL", "POST", "/api/schedules", Schedule(s => s["cron"] = "0 0 7 * * ?\0"), 400, "cron"),
        new("schedule zone with NUL", "POST", "/api/schedules", Schedule(s => s["timeZone"] = "UTC\0"), 400, "timeZone"),
        new("schedule template with NUL", "POST", "/api/schedules", Schedule(s => s["promptTemplates"] = new JsonArray("a\0 {city}")), 400, "promptTemplates[0]"),
        new("schedule second template with NUL", "POST", "/api/schedules", Schedule(s => s["promptTemplates"] = new JsonArray("{city}", "\0")), 400, "promptTemplates[1]"),
        new("schedule template with a vertical tab", "POST", "/api/schedules", Schedule(s => s["promptTemplates"] = new JsonArray("a\v{city}")), 400, "promptTemplates[0]"),
        new("schedule list item with NUL", "POST", "/api/schedules", Schedule(s => s["lists"] = new JsonObject { ["city"] = new JsonArray("Berlin", "Li\0ma") }), 400, "lists.city[1]"),
        new("schedule list name with NUL", "POST", "/api/schedules", Schedule(s => s["lists"] = new JsonObject { ["city"] = new JsonArray("Lima"), ["to\0wn"] = new JsonArray("a") }), 400, "lists.to\0wn"),
        new("schedule job negative prompt with NUL", "POST", "/api/schedules", Schedule(s => s["job"] = new JsonObject { ["negativePrompt"] = "\0" }), 400, "job.negativePrompt"),
        new("schedule job model with NUL", "POST", "/api/schedules", Schedule(s => s["job"] = new JsonObject { ["model"] = "m\0" }), 400, "job.model"),

        // POST /api/schedules: the JSON itself.
        new("schedule with a misspelt member", "POST", "/api/schedules", Schedule(s => s["variatons"] = 2), 400, "variatons"),
        new("schedule with an unknown job member", "POST", "/api/schedules", Schedule(s => s["job"] = new JsonObject { ["cuont"] = 4 }), 400, "job.cuont"),
        new("schedule with a repeated member", "POST", "/api/schedules", """{ "name": "n", "name": "m", "cron": "0 0 7 * * ?", "promptTemplates": ["x"] }""", 400, "name"),
        new("schedule with variations as a string", "POST", "/api/schedules", Schedule(s => s["variations"] = "2"), 400, "variations"),
        new("schedule with job width as a string", "POST", "/api/schedules", Schedule(s => s["job"] = new JsonObject { ["width"] = "128" }), 400, "job.width"),
        new("schedule with job count as a string", "POST", "/api/schedules", Schedule(s => s["job"] = new JsonObject { ["count"] = "4" }), 400, "job.count"),
        new("schedule with job width as a word", "POST", "/api/schedules", Schedule(s => s["job"] = new JsonObject { ["width"] = "wide" }), 400, "job.width"),
        new("schedule with paused as a string", "POST", "/api/schedules", Schedule(s => s["paused"] = "yes"), 400, "paused"),
        new("schedule with a number for a list item", "POST", "/api/schedules", Schedule(s => s["lists"] = new JsonObject { ["city"] = new JsonArray(1) }), 400, "lists.city[0]"),
        new("schedule with lists as an array", "POST", "/api/schedules", Schedule(s => s["lists"] = new JsonArray("city")), 400, "lists"),
        new("schedule with a number for the zone", "POST", "/api/schedules", Schedule(s => s["timeZone"] = 1), 400, "timeZone"),
        new("schedule cut short", "POST", "/api/schedules", """{ "name": "n", """, 400, "body"),
        new("schedule with an empty body", "POST", "/api/schedules", "", 400, "body"),
        new("schedule that is null", "POST", "/api/schedules", "null", 400, "body"),

        // PUT /api/schedules/{id}: the saved schedule stays as it was.
        new("schedule replaced with a bad cron", "PUT", "/api/schedules/{schedule}", Schedule(s => s["cron"] = "nope"), 400, "cron"),
        new("schedule replaced with a NUL name", "PUT", "/api/schedules/{schedule}", Schedule(s => s["name"] = "\0"), 400, "name"),
        new("schedule replaced with a NUL template", "PUT", "/api/schedules/{schedule}", Schedule(s => s["promptTemplates"] = new JsonArray("\0")), 400, "promptTemplates[0]"),
        new("schedule replaced with a NUL list item", "PUT", "/api/schedules/{schedule}", Schedule(s => s["lists"] = new JsonObject { ["city"] = new JsonArray("\0") }), 400, "lists.city[0]"),
        new("schedule replaced with a misspelt member", "PUT", "/api/schedules/{schedule}", Schedule(s => s["nmae"] = "x"), 400, "nmae"),
        new("schedule replaced with variations as a string", "PUT", "/api/schedules/{schedule}", Schedule(s => s["variations"] = "3"), 400, "variations"),
        new("schedule replaced with a bad job height", "PUT", "/api/schedules/{schedule}", Schedule(s => s["job"] = new JsonObject { ["height"] = 12 }), 400, "job.height"),
        new("schedule replaced with an unknown zone", "PUT", "/api/schedules/{schedule}", Schedule(s => s["timeZone"] = "Europe/Atlantis"), 400, "timeZone"),
        new("schedule replaced with a body cut short", "PUT", "/api/schedules/{schedule}", """{ "name": """, 400, "name"),
    }.ToDictionary(c => c.Name);

    private readonly TestFarm _farm = fixture.Farm;

    public static TheoryData<string> Names => [.. Catalogue.Keys];

    [Fact]
    public void The_catalogue_holds_at_least_80_bad_inputs() => Assert.InRange(Catalogue.Count, 80, int.MaxValue);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Bad_input_is_refused_with_problem_details_naming_the_field_and_nothing_is_written(string name)
    {
        var input = Catalogue[name];
        var before = await SnapshotAsync();

        using var request = new HttpRequestMessage(new HttpMethod(input.Method), fixture.Resolve(input.Path));
        if (input.Body is not null)
        {
            request.Content = new StringContent(input.Body, Encoding.UTF8, "application/json");
        }

        using var response = await _farm.Api.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        if ((int)response.StatusCode != input.Status)
        {
            Assert.Fail($"Expected {input.Status}, got {(int)response.StatusCode}: {body}");
        }

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (input.Status == 400)
        {
            var problem = JsonSerializer.Deserialize<ValidationProblemDetails>(body, JsonSerializerOptions.Web)!;
            Assert.True(problem.Errors.ContainsKey(input.Named), $"'{input.Named}' not named: {body}");
            Assert.All(problem.Errors.Values, messages => Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m))));
        }
        else
        {
            using var problem = JsonDocument.Parse(body);
            Assert.Equal(input.Named, problem.RootElement.GetProperty("jobStatus").GetString());
            Assert.Equal(input.Status, problem.RootElement.GetProperty("status").GetInt32());
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    /// <summary>Every row that a bad input could add or change: jobs with their states, images per state, schedules with their fields.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var db = _farm.CreateDbContext();
        var jobs = await db.Jobs.OrderBy(j => j.Id).Select(j => new { j.Id, j.Status, j.ImageCount, j.FinishedAt }).ToListAsync();
        var images = await db.Images.GroupBy(i => i.Status).OrderBy(g => g.Key).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        var schedules = await db.Schedules.OrderBy(s => s.Id).ToListAsync();
        return JsonSerializer.Serialize(new { jobs, images, schedules });
    }

    /// <summary>A valid job with <paramref name="change"/> applied.</summary>
    private static string Job(Action<JsonObject> change)
    {
        var job = new JsonObject { ["prompts"] = new JsonArray("x") };
        change(job);
        return job.ToJsonString();
    }

    /// <summary>A valid (paused) schedule with <paramref name="change"/> applied.</summary>
    private static string Schedule(Action<JsonObject> change)
    {
        var schedule = ValidSchedule();
        change(schedule);
        return schedule.ToJsonString();
    }

    private static JsonObject ValidSchedule() => new()
    {
        ["name"] = "catalogue",
        ["cron"] = "0 0 7 * * ?",
        ["timeZone"] = "Europe/Berlin",
        ["promptTemplates"] = new JsonArray("a watercolor of {city} in {season}, {date:dddd}"),
        ["lists"] = new JsonObject { ["city"] = new JsonArray("Berlin", "Lisbon") },
        ["paused"] = true,
    };

    /// <param name="Named">For 400 the key the validation problem must name; for 409 the job status it must report.</param>
    private sealed record BadInput(string Name, string Method, string Path, string? Body, int Status, string Named);

    /// <summary>One coordinator, no workers, a finished job of each kind and a saved schedule.</summary>
    public sealed class CatalogueFarm : IAsyncLifetime
    {
        private readonly Dictionary<string, string> _placeholders = [];

        public TestFarm Farm { get; private set; } = null!;

        public string Resolve(string path) => _placeholders.Aggregate(path, (p, ph) => p.Replace(ph.Key, ph.Value, StringComparison.Ordinal));

        public async Task InitializeAsync()
        {
            Farm = await TestFarm.StartAsync(TestFarm.NewModelName(), coordinators: 1, [], new Dictionary<string, string?> { ["Jobs:MaxImagesPerJob"] = "100" });

            // Finished by hand: nothing renders without workers, and only the job's status matters to cancel.
            await FinishAsync("{completed}", JobStatus.Completed, ImageStatus.Rendered, ImageStatus.Rendered);
            await FinishAsync("{completed_with_errors}", JobStatus.CompletedWithErrors, ImageStatus.Rendered, ImageStatus.Failed);
            await FinishAsync("{failed}", JobStatus.Failed, ImageStatus.Failed, ImageStatus.Failed);
            var cancelled = await Farm.SubmitAsync(new JobRequest { Prompts = ["cancelled"], Count = 2 });
            using (var response = await Farm.Api.PostAsync($"/api/jobs/{cancelled.Id:D}/cancel", null))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            _placeholders["{cancelled}"] = cancelled.Id.ToString("D");

            using var created = await Farm.Api.PostAsync("/api/schedules", new StringContent(ValidSchedule().ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            _placeholders["{schedule}"] = (await created.Content.ReadFromJsonAsync<ScheduleView>())!.Id.ToString("D");
        }

        public async Task DisposeAsync() => await Farm.DisposeAsync();

        private async Task FinishAsync(string placeholder, JobStatus status, ImageStatus first, ImageStatus second)
        {
            var accepted = await Farm.SubmitAsync(new JobRequest { Prompts = [placeholder], Count = 2 });
            await using var db = Farm.CreateDbContext();
            var now = DateTimeOffset.UtcNow;
            await db.Images.Where(i => i.JobId == accepted.Id && i.Index == 0).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, first).SetProperty(i => i.FinishedAt, now));
            await db.Images.Where(i => i.JobId == accepted.Id && i.Index == 1).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, second).SetProperty(i => i.FinishedAt, now));
            await db.Jobs.Where(j => j.Id == accepted.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, status).SetProperty(j => j.FinishedAt, now));
            _placeholders[placeholder] = accepted.Id.ToString("D");
        }
    }
}

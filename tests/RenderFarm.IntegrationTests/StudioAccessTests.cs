using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Schedules;
using RenderFarm.Coordinator.Studios;
using RenderFarm.Core.Jobs;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>Keys, roles and ownership on a real coordinator, PostgreSQL, RabbitMQ, S3 and one test worker.</summary>
public sealed class StudioAccessTests(StudioAccessTests.StudioFarm fixture) : IClassFixture<StudioAccessTests.StudioFarm>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    /// <summary>What may be called without a key: probes, Prometheus, signing in or out, signed image links, and the API reference (below).</summary>
    private static readonly HashSet<string> Anonymous = ["GET /health", "GET /alive", "GET /metrics", "POST /api/session/", "DELETE /api/session/", "GET /v1/files/{token}"];

    private TestFarm Farm => fixture.Farm;

    [Fact]
    public async Task Every_endpoint_answers_401_without_a_key_except_probes_metrics_and_signing_in()
    {
        var endpoints = Farm.CoordinatorServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Endpoint: e)))
            .ToList();
        Assert.True(endpoints.Count > 30, $"only {endpoints.Count} endpoints found");

        using var anonymous = Farm.CreateAnonymousClient();
        var open = new List<string>();
        foreach (var (method, endpoint) in endpoints)
        {
            var template = endpoint.RoutePattern.RawText!;
            var name = $"{method} {template}";
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                open.Add(name);
                continue;
            }

            var path = System.Text.RegularExpressions.Regex.Replace(template, @"\{[^}]+\}", Guid.NewGuid().ToString("D"));
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT")
            {
                request.Content = JsonContent.Create(new { });
            }

            using var response = await anonymous.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{name} answered {(int)response.StatusCode} without a key");
        }

        Assert.Equal(Anonymous.Order(), open.Where(e => !e.StartsWith("GET /docs", StringComparison.Ordinal) && !e.StartsWith("GET /openapi/", StringComparison.Ordinal)).Order());
        Assert.Contains("GET /openapi/{documentName}.json", open);
    }

    [Fact]
    public async Task A_revoked_or_expired_key_is_refused_and_keys_are_stored_only_as_hashes()
    {
        var (client, key, _) = await Farm.CreateStudioClientAsync("keys-studio", "viewer");
        using var _ = client;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/jobs")).StatusCode);

        await using (var db = Farm.CreateDbContext())
        {
            var row = await db.ApiKeys.SingleAsync(k => k.Id == key.Info.Id);
            Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(key.Key)), row.Hash);
            Assert.Equal(key.Key[..11], row.Prefix);
            var everything = string.Join("|", await db.ApiKeys.Select(k => k.Name + k.Prefix).ToListAsync())
                + string.Join("|", await db.AuditLog.Select(e => e.Actor + e.Target + e.Detail).ToListAsync());
            Assert.DoesNotContain(key.Key, everything);
            Assert.DoesNotContain(Farm.AdminKey, everything);

            // Expired a second ago.
            await db.ApiKeys.Where(k => k.Id == key.Info.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
        }

        using var expired = await client.GetAsync("/api/jobs");
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.DoesNotContain(key.Key, await expired.Content.ReadAsStringAsync());

        var (other, otherKey, _) = await Farm.CreateStudioClientAsync("keys-studio", "artist");
        using var __ = other;
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/jobs")).StatusCode);
        (await Farm.Api.PostAsync($"/api/keys/{otherKey.Info.Id:D}/revoke", null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/api/jobs")).StatusCode);

        using var garbage = Farm.CreateAnonymousClient();
        garbage.DefaultRequestHeaders.Authorization = new("Bearer", "rf_" + new string('A', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, (await garbage.GetAsync("/api/jobs")).StatusCode);
    }

    [Fact]
    public async Task Roles_limit_what_a_key_may_do()
    {
        var (viewer, _, studio) = await Farm.CreateStudioClientAsync("roles-studio", "viewer");
        var (artist, _, _) = await Farm.CreateStudioClientAsync("roles-studio", "artist");
        var (manager, _, _) = await Farm.CreateStudioClientAsync("roles-studio", "manager");
        using var _ = viewer;
        using var __ = artist;
        using var ___ = manager;

        using var refused = await viewer.PostAsJsonAsync("/api/jobs", new JobRequest { Prompts = ["not allowed"] });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await using (var db = Farm.CreateDbContext())
        {
            Assert.False(await db.Jobs.AnyAsync(j => j.StudioId == studio));
        }

        using var submitted = await artist.PostAsJsonAsync("/api/jobs", new JobRequest { Prompts = ["an artist's job"] });
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var job = (await submitted.Content.ReadFromJsonAsync<JobAccepted>())!;
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/jobs/{job.Id:D}/cancel", null)).StatusCode);
        Assert.Equal("roles-studio", (await viewer.GetFromJsonAsync<JobView>($"/api/jobs/{job.Id:D}"))!.Studio);

        // Schedules and keys are the manager's; a manager cannot mint an admin key.
        var schedule = new ScheduleRequest { Name = "daily", Cron = "0 0 9 * * ?", PromptTemplates = ["a sunrise"], Job = new JobRequest() };
        Assert.Equal(HttpStatusCode.Forbidden, (await artist.PostAsJsonAsync("/api/schedules", schedule)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await manager.PostAsJsonAsync("/api/schedules", schedule)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await artist.GetAsync("/api/keys")).StatusCode);
        using var admin = await manager.PostAsJsonAsync("/api/keys", new ApiKeyRequest("escalation", "admin"));
        Assert.Equal(HttpStatusCode.BadRequest, admin.StatusCode);
        Assert.Contains("role", await admin.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsJsonAsync("/api/studios", new StudioRequest("another"))).StatusCode);

        var keys = (await manager.GetFromJsonAsync<List<ApiKeyView>>("/api/keys"))!;
        Assert.All(keys, k => Assert.Equal(studio, k.StudioId));
        var audit = (await manager.GetFromJsonAsync<List<AuditEntryView>>("/api/audit"))!;
        Assert.Contains(audit, e => e.Action == "job.submitted" && e.Target == job.Id.ToString("D"));
        Assert.Contains(audit, e => e.Action == "schedule.created");
        Assert.All(audit, e => Assert.Equal(studio, e.StudioId));
    }

    [Fact]
    public async Task Another_studios_jobs_images_and_schedules_do_not_exist_for_a_caller()
    {
        var (ours, _, _) = await Farm.CreateStudioClientAsync("owner-studio", "manager");
        var (theirs, _, _) = await Farm.CreateStudioClientAsync("other-studio", "manager");
        using var _ = ours;
        using var __ = theirs;

        using var submitted = await ours.PostAsJsonAsync("/api/jobs", new JobRequest { Prompts = ["ours"], Count = 2 });
        var job = (await submitted.Content.ReadFromJsonAsync<JobAccepted>())!;
        await Farm.WaitForJobAsync(job.Id, j => j.Status == "completed", Patience);
        var image = (await ours.GetFromJsonAsync<List<JobImageView>>($"/api/jobs/{job.Id:D}/images"))![0];
        using var created = await ours.PostAsJsonAsync("/api/schedules", new ScheduleRequest { Name = "ours", Cron = "0 0 9 * * ?", PromptTemplates = ["x"], Job = new JobRequest() });
        var schedule = (await created.Content.ReadFromJsonAsync<ScheduleView>())!;

        foreach (var (method, path) in new[]
                 {
                     ("GET", $"/api/jobs/{job.Id:D}"), ("GET", $"/api/jobs/{job.Id:D}/images"), ("GET", $"/api/jobs/{job.Id:D}/archive"),
                     ("POST", $"/api/jobs/{job.Id:D}/cancel"), ("POST", $"/api/jobs/{job.Id:D}/retry"),
                     ("GET", $"/api/images/{image.Id:D}"), ("GET", $"/api/images/{image.Id:D}/content"), ("GET", $"/api/images/{image.Id:D}/thumbnail"),
                     ("GET", $"/api/schedules/{schedule.Id:D}"), ("DELETE", $"/api/schedules/{schedule.Id:D}"), ("POST", $"/api/schedules/{schedule.Id:D}/run-now"),
                 })
        {
            using var response = await theirs.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} answered {(int)response.StatusCode} to another studio");

            // The same thing, read by its owner, is there.
            using var owner = await ours.GetAsync(path.Replace("/cancel", "").Replace("/retry", "").Replace("/run-now", ""));
            Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        }

        Assert.DoesNotContain((await theirs.GetFromJsonAsync<List<JobView>>("/api/jobs"))!, j => j.Id == job.Id);
        Assert.Empty((await theirs.GetFromJsonAsync<List<ScheduleView>>("/api/schedules"))!);
        Assert.DoesNotContain("ours", await theirs.GetStringAsync("/api/images"));
        Assert.Contains((await Farm.Api.GetFromJsonAsync<List<JobView>>("/api/jobs"))!, j => j.Id == job.Id);
    }

    [Fact]
    public async Task The_event_stream_carries_only_the_callers_studios_events()
    {
        var (a, _, _) = await Farm.CreateStudioClientAsync("events-a", "artist");
        var (b, _, _) = await Farm.CreateStudioClientAsync("events-b", "artist");
        using var _ = a;
        using var __ = b;
        using var cancel = new CancellationTokenSource(Patience);
        await using var stream = await EventStream.OpenAsync(b, jobId: null, cancel.Token);

        using var theirs = await a.PostAsJsonAsync("/api/jobs", new JobRequest { Prompts = ["studio a's"], Count = 2 });
        var theirJob = (await theirs.Content.ReadFromJsonAsync<JobAccepted>())!;
        await Farm.WaitForJobAsync(theirJob.Id, j => j.Status == "completed", Patience);
        using var ours = await b.PostAsJsonAsync("/api/jobs", new JobRequest { Prompts = ["studio b's"], Count = 1 });
        var ourJob = (await ours.Content.ReadFromJsonAsync<JobAccepted>())!;

        // Studio a's images finished first: had the stream carried them, they would be read before b's.
        await stream.ReadAsync(e => e.Type == "imageRendered" && e.Data.GetProperty("jobId").GetGuid() == ourJob.Id, 1, cancel.Token);
        Assert.DoesNotContain(stream.Received, e => e.Data.TryGetProperty("jobId", out var id) && id.ValueKind == System.Text.Json.JsonValueKind.String && id.GetGuid() == theirJob.Id);
    }

    [Fact]
    public async Task Cross_site_requests_are_refused_and_the_session_cookie_works_only_from_the_farms_own_pages()
    {
        using var plain = new StringContent("""{"prompts":["x"]}""", Encoding.UTF8, "text/plain");
        using var textPlain = await Farm.Api.PostAsync("/api/jobs", plain);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, textPlain.StatusCode);
        Assert.Equal("application/problem+json", textPlain.Content.Headers.ContentType?.MediaType);
        await using (var db = Farm.CreateDbContext())
        {
            Assert.False(await db.Jobs.AnyAsync(j => j.Prompts.Contains("x") && j.ImageCount == 1 && j.NegativePrompt == "" && j.CreatedAt > DateTimeOffset.UtcNow.AddSeconds(-30)));
        }

        var (_, key, _) = await Farm.CreateStudioClientAsync("session-studio", "artist");
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var browser = new HttpClient(handler) { BaseAddress = Farm.Api.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/session")).StatusCode);
        using var signIn = await browser.PostAsJsonAsync("/api/session", new SignInRequest(key.Key));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var setCookie = string.Join(";", signIn.Headers.GetValues("Set-Cookie")).ToLowerInvariant();
        Assert.Contains("httponly", setCookie);
        Assert.Contains("samesite=strict", setCookie);
        Assert.Equal("session-studio", (await browser.GetFromJsonAsync<CallerView>("/api/session"))!.Studio);

        using var sameOrigin = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(new JobRequest { Prompts = ["from the farm's page"] }) };
        sameOrigin.Headers.Add("Origin", Farm.Api.BaseAddress!.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.Accepted, (await browser.SendAsync(sameOrigin)).StatusCode);

        using var crossOrigin = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(new JobRequest { Prompts = ["from evil.example"] }) };
        crossOrigin.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(crossOrigin)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.DeleteAsync("/api/session")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/jobs")).StatusCode);
    }

    [Fact]
    public async Task A_signed_token_maps_its_claims_to_a_studio_and_role()
    {
        var (_, _, studio) = await Farm.CreateStudioClientAsync("token-studio", "viewer");
        using var client = Farm.CreateAnonymousClient();

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(("studio", "token-studio"), ("renderfarm_role", "artist")));
        using var submitted = await client.PostAsJsonAsync("/api/jobs", new JobRequest { Prompts = ["from a token"] });
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var job = (await submitted.Content.ReadFromJsonAsync<JobAccepted>())!;
        Assert.Equal(studio, (await Farm.GetJobAsync(job.Id)).StudioId);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(("studio", "no-such-studio"), ("renderfarm_role", "artist")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/jobs")).StatusCode);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(("studio", "token-studio"), ("renderfarm_role", "viewer")));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/jobs", new JobRequest { Prompts = ["x"] })).StatusCode);

        var forged = new JwtSecurityTokenHandler().WriteToken(new JwtSecurityToken(
            "https://idp.test", claims: [new Claim("studio", "token-studio"), new Claim("renderfarm_role", "admin")], expires: DateTime.UtcNow.AddMinutes(5),
            signingCredentials: new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), SecurityAlgorithms.HmacSha256)));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forged);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/jobs")).StatusCode);
    }

    private string Token(params (string Type, string Value)[] claims) =>
        new JwtSecurityTokenHandler().WriteToken(new JwtSecurityToken(
            "https://idp.test",
            claims: [new Claim("sub", "alice"), .. claims.Select(c => new Claim(c.Type, c.Value))],
            expires: DateTime.UtcNow.AddMinutes(5),
            signingCredentials: new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(fixture.SigningKey)), SecurityAlgorithms.HmacSha256)));

    public sealed class StudioFarm : IAsyncLifetime
    {
        public TestFarm Farm { get; private set; } = null!;

        public string SigningKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        public async Task InitializeAsync()
        {
            var model = TestFarm.NewModelName();
            Farm = await TestFarm.StartAsync(model, coordinators: 1, [new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(5))],
                new Dictionary<string, string?> { ["Auth:Jwt:SigningKey"] = SigningKey, ["Auth:Jwt:Issuer"] = "https://idp.test" });
        }

        public async Task DisposeAsync() => await Farm.DisposeAsync();
    }
}

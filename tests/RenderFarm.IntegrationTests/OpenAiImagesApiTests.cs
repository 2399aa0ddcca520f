using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Images;
using OpenAI.Models;
using RenderFarm.Infrastructure.Imaging;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>The OpenAI Images API, driven by the official OpenAI .NET client pointed at the coordinator, and by hand for its error shapes.</summary>
public sealed class OpenAiImagesApiTests(EventWokenFarm fixture) : IClassFixture<EventWokenFarm>
{
    private readonly TestFarm _farm = fixture.Farm;

    [Fact]
    public async Task The_official_client_gets_addresses_it_can_fetch_each_image_from()
    {
        var client = new ImageClient(_farm.Model, new ApiKeyCredential(_farm.AdminKey), ClientOptions(_farm));

        GeneratedImageCollection images = await client.GenerateImagesAsync(
            "a red fox", 2, new ImageGenerationOptions { Size = new GeneratedImageSize(72, 64), ResponseFormat = GeneratedImageFormat.Uri });

        Assert.Equal(2, images.Count);
        Assert.True(images.CreatedAt > DateTimeOffset.UnixEpoch);
        var seeds = new List<string>();
        foreach (var image in images)
        {
            Assert.Equal("a red fox", image.RevisedPrompt);
            Assert.True(image.ImageUri.IsAbsoluteUri, image.ImageUri.ToString());
            using var plain = new HttpClient();
            var bytes = await plain.GetByteArrayAsync(image.ImageUri);
            var parameters = ImageMetadataReader.ReadParameters(bytes)!;
            Assert.StartsWith("a red fox\n", parameters, StringComparison.Ordinal);
            Assert.Contains("Size: 72x64", parameters);
            seeds.Add(parameters.Split(", ").Single(p => p.StartsWith("Seed: ", StringComparison.Ordinal)));
        }

        Assert.Equal(2, seeds.Distinct().Count());

        // The address is its own credential (clients fetch it with no key): a changed token is no address at all.
        var first = images[0].ImageUri.ToString();
        using var anonymous = new HttpClient();
        using var forged = await anonymous.GetAsync(first[..^4] + (first[^4..] == "AAAA" ? "BBBB" : "AAAA"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Contains("/v1/files/", first);
    }

    [Fact]
    public async Task The_official_client_gets_the_bytes_when_it_asks_for_them()
    {
        var client = new ImageClient(_farm.Model, new ApiKeyCredential(_farm.AdminKey), ClientOptions(_farm));

        GeneratedImage image = await client.GenerateImageAsync(
            "a blue jay", new ImageGenerationOptions { Size = new GeneratedImageSize(64, 64), ResponseFormat = GeneratedImageFormat.Bytes });

        Assert.Null(image.ImageUri);
        var parameters = ImageMetadataReader.ReadParameters(image.ImageBytes.ToArray());
        Assert.StartsWith("a blue jay\n", parameters, StringComparison.Ordinal);
        Assert.Contains($"Model: {_farm.Model}", parameters);
    }

    [Fact]
    public async Task The_official_client_lists_the_model_catalog()
    {
        var client = new OpenAIModelClient(new ApiKeyCredential(_farm.AdminKey), ClientOptions(_farm));

        OpenAIModelCollection models = await client.GetModelsAsync();

        Assert.Equal([_farm.Model], models.Select(m => m.Id));
        Assert.All(models, m => Assert.Equal("renderfarm", m.OwnedBy));
    }

    [Fact]
    public async Task The_official_client_reads_a_refusal_as_a_bad_request_with_the_message()
    {
        var client = new ImageClient(_farm.Model, new ApiKeyCredential(_farm.AdminKey), ClientOptions(_farm));

        var refused = await Assert.ThrowsAsync<ClientResultException>(() =>
            client.GenerateImageAsync("a red fox", new ImageGenerationOptions { Size = new GeneratedImageSize(100, 64) }));

        Assert.Equal(400, refused.Status);
        Assert.Contains("multiple of 8", refused.Message);
    }

    [Fact]
    public async Task The_extensions_seed_steps_guidance_and_negative_prompt_reach_the_job()
    {
        using var response = await PostAsync("""
            { "model": "dall-e-3", "prompt": "a lighthouse", "n": 2, "size": "64x64", "response_format": "b64_json",
              "user": "someone", "quality": "standard", "seed": 42, "steps": 3, "guidance": 1.5, "negative_prompt": "blurry" }
            """);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var answer = JsonDocument.Parse(body);
        var data = answer.RootElement.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, data.Count);
        var parameters = data.Select(d => ImageMetadataReader.ReadParameters(Convert.FromBase64String(d.GetProperty("b64_json").GetString()!))!).ToList();
        Assert.All(data, d => Assert.False(d.TryGetProperty("url", out _)));
        Assert.All(parameters, p => Assert.Contains("Negative prompt: blurry", p));
        Assert.All(parameters, p => Assert.Contains("Steps: 3,", p));
        Assert.All(parameters, p => Assert.Contains("CFG scale: 1.5,", p));

        // OpenAI's own model names render with the farm's default model.
        Assert.All(parameters, p => Assert.Contains($"Model: {_farm.Model}", p));
        Assert.Equal(["Seed: 42", "Seed: 43"], parameters.Select(p => p.Split(", ").Single(s => s.StartsWith("Seed: ", StringComparison.Ordinal))).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{ "prompt": "x", "size": "big" }""", "size", "invalid_value")]
    [InlineData("""{ "prompt": "x", "size": "100x64" }""", "size", "invalid_value")]
    [InlineData("""{ "prompt": "x", "n": 0 }""", "n", "invalid_value")]
    [InlineData("""{ "prompt": "x", "n": "2" }""", "n", "invalid_value")]
    [InlineData("""{ "prompt": "x", "model": "sd-nope" }""", "model", "invalid_value")]
    [InlineData("""{ "prompt": "x", "response_format": "gif" }""", "response_format", "invalid_value")]
    [InlineData("""{ "prompt": "x", "output_format": "gif" }""", "output_format", "invalid_value")]
    [InlineData("""{ "prompt": "x", "colour": "red" }""", "colour", "invalid_value")]
    [InlineData("""{ "prompt": "x", "steps": 0 }""", "steps", "invalid_value")]
    [InlineData("""{ "prompt": "x", "stream": true }""", "stream", "invalid_value")]
    [InlineData("""{ "n": 1 }""", "prompt", "missing_required_parameter")]
    [InlineData("""{ "prompt": "x\u0000y" }""", "prompt", "invalid_value")]
    [InlineData("""{ "prompt": "x", """, null, "invalid_json")]
    public async Task Bad_input_answers_in_OpenAIs_error_shape_naming_the_parameter(string json, string? param, string code)
    {
        var before = await CountJobsAsync();

        using var response = await PostAsync(json);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        using var answer = JsonDocument.Parse(body);
        var error = answer.RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(before, await CountJobsAsync());
    }

    [Fact]
    public async Task A_job_that_is_not_done_in_time_answers_a_timeout_the_client_understands_and_is_cancelled()
    {
        // No worker: the job can never finish.
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [], new Dictionary<string, string?> { ["SynchronousJobs:Timeout"] = "00:00:01" });
        var client = new ImageClient(model, new ApiKeyCredential(farm.AdminKey), ClientOptions(farm));

        var timedOut = await Assert.ThrowsAsync<ClientResultException>(() => client.GenerateImageAsync("never rendered"));

        Assert.Equal(504, timedOut.Status);
        using var answer = JsonDocument.Parse(timedOut.GetRawResponse()!.Content.ToString());
        var error = answer.RootElement.GetProperty("error");
        Assert.Equal(("server_error", "timeout"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        var jobs = (await farm.Api.GetFromJsonAsync<List<RenderFarm.Coordinator.Jobs.JobView>>("/api/jobs"))!;
        Assert.Equal("cancelled", Assert.Single(jobs).Status);
        Assert.Contains(jobs[0].Id.ToString("D"), error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_caller_that_goes_away_leaves_no_job_rendering_for_nobody()
    {
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, []);
        using var gone = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations") { Content = new StringContent("""{ "prompt": "abandoned", "n": 3 }""", Encoding.UTF8, "application/json") };
        var call = farm.Api.SendAsync(request, gone.Token);

        var job = await WaitForSingleJobAsync(farm);
        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        var cancelled = await farm.WaitForJobAsync(job.Id, j => j.Status == "cancelled", TimeSpan.FromSeconds(30));
        Assert.Equal(3, cancelled.Cancelled);
    }

    [Fact]
    public async Task A_job_cancelled_elsewhere_ends_the_wait_with_a_server_error()
    {
        // No worker, so no event: the recheck is what notices.
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [], new Dictionary<string, string?> { ["SynchronousJobs:RecheckInterval"] = "00:00:00.200" });
        var call = farm.Api.PostAsync("/v1/images/generations", new StringContent("""{ "prompt": "cancelled by someone else" }""", Encoding.UTF8, "application/json"));

        var job = await WaitForSingleJobAsync(farm);
        using (await farm.Api.PostAsync($"/api/jobs/{job.Id:D}/cancel", null))
        {
        }

        using var response = await call;
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("server_error", answer.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("cancelled", answer.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    private static async Task<RenderFarm.Coordinator.Jobs.JobView> WaitForSingleJobAsync(TestFarm farm)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var jobs = (await farm.Api.GetFromJsonAsync<List<RenderFarm.Coordinator.Jobs.JobView>>("/api/jobs", deadline.Token))!;
            if (jobs.Count > 0)
            {
                return Assert.Single(jobs);
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    /// <summary>The official client's settings for the farm: its endpoint, and no retries, so that one call is one request.</summary>
    private static OpenAIClientOptions ClientOptions(TestFarm farm) => new()
    {
        Endpoint = new Uri(farm.Api.BaseAddress!, "/v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    };

    /// <summary>The body as its clients send it; the farm's client already carries the admin key.</summary>
    private Task<HttpResponseMessage> PostAsync(string json) =>
        _farm.Api.PostAsync("/v1/images/generations", new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task<int> CountJobsAsync()
    {
        await using var db = _farm.CreateDbContext();
        return db.Jobs.Count();
    }
}

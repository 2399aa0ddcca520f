using System.Net;
using System.Text;
using System.Text.Json;
using RenderFarm.Infrastructure.Imaging;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>
/// AUTOMATIC1111's txt2img API, with bodies exactly as its Python clients send them (<c>requests.post(json=…)</c>:
/// Python's <c>json.dumps</c> spacing and ASCII escapes), including the bulk loop of the WebUI's API wiki page.
/// </summary>
public sealed class Automatic1111ApiTests(EventWokenFarm fixture) : IClassFixture<EventWokenFarm>, IDisposable
{
    private readonly TestFarm _farm = fixture.Farm;
    private readonly DirectoryInfo _out = Directory.CreateTempSubdirectory("rf-a1111-");

    public void Dispose() => _out.Delete(recursive: true);

    [Fact]
    public async Task The_wiki_example_answers_base64_pngs_with_info_as_a_json_string()
    {
        using var response = await PostAsync("""{"prompt": "maltese puppy", "steps": 5}""");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var r = JsonDocument.Parse(body);
        var image = Assert.Single(r.RootElement.GetProperty("images").EnumerateArray()).GetString()!;

        // The wiki decodes with base64.b64decode(i.split(",", 1)[0]): no data: prefix.
        var png = Convert.FromBase64String(image.Split(',', 2)[0]);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        using var info = JsonDocument.Parse(r.RootElement.GetProperty("info").GetString()!);
        var infotext = Assert.Single(info.RootElement.GetProperty("infotexts").EnumerateArray()).GetString();
        Assert.Equal(ImageMetadataReader.ReadParameters(png), infotext);
        Assert.StartsWith("maltese puppy\nSteps: 5, ", infotext, StringComparison.Ordinal);
        var seed = Assert.Single(info.RootElement.GetProperty("all_seeds").EnumerateArray()).GetInt64();
        Assert.Contains($"Seed: {seed},", infotext);
        Assert.Equal("maltese puppy", r.RootElement.GetProperty("parameters").GetProperty("prompt").GetString());
        Assert.Equal(5, r.RootElement.GetProperty("parameters").GetProperty("steps").GetInt32());
    }

    [Fact]
    public async Task A_full_WebUI_payload_renders_batch_size_times_n_iter_images_and_ignores_what_the_farm_does_not_use()
    {
        using var response = await PostAsync($$$"""
            {"prompt": "a lighthouse at dawn", "negative_prompt": "blurry", "styles": [], "seed": 1234, "subseed": -1, "subseed_strength": 0, "seed_resize_from_h": -1, "seed_resize_from_w": -1, "sampler_name": "Euler", "batch_size": 2, "n_iter": 2, "steps": 3, "cfg_scale": 7, "width": 64, "height": 72, "restore_faces": false, "tiling": false, "do_not_save_samples": false, "do_not_save_grid": false, "eta": 0, "denoising_strength": 0, "s_min_uncond": 0, "s_churn": 0, "s_tmax": 0, "s_tmin": 0, "s_noise": 0, "override_settings": {"sd_model_checkpoint": "{{{_farm.Model}}}.safetensors [6ce0161689]", "CLIP_stop_at_last_layers": 2}, "override_settings_restore_afterwards": true, "refiner_checkpoint": null, "refiner_switch_at": 0, "disable_extra_networks": false, "comments": {}, "enable_hr": false, "firstphase_width": 0, "firstphase_height": 0, "hr_scale": 2, "hr_upscaler": "Latent", "hr_second_pass_steps": 0, "hr_resize_x": 0, "hr_resize_y": 0, "hr_prompt": "", "hr_negative_prompt": "", "sampler_index": "Euler", "script_name": null, "script_args": [], "send_images": true, "save_images": false, "alwayson_scripts": {}}
            """);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var r = JsonDocument.Parse(body);
        Assert.Equal(4, r.RootElement.GetProperty("images").GetArrayLength());
        using var info = JsonDocument.Parse(r.RootElement.GetProperty("info").GetString()!);
        Assert.Equal([1234L, 1235, 1236, 1237], info.RootElement.GetProperty("all_seeds").EnumerateArray().Select(s => s.GetInt64()));
        var infotexts = info.RootElement.GetProperty("infotexts").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.All(infotexts, t => Assert.Contains("Negative prompt: blurry", t));
        Assert.All(infotexts, t => Assert.Contains($"CFG scale: 7, Seed: {1234 + infotexts.IndexOf(t)}, Size: 64x72, Model: {_farm.Model}", t));
        Assert.Equal(2, info.RootElement.GetProperty("batch_size").GetInt32());

        // Echoed as received, with the values used.
        var parameters = r.RootElement.GetProperty("parameters");
        Assert.Equal("Latent", parameters.GetProperty("hr_upscaler").GetString());
        Assert.Equal(1234, parameters.GetProperty("seed").GetInt64());
    }

    /// <summary>The WebUI API wiki's bulk pattern: a Python loop posting one payload per prompt and saving each image.</summary>
    [Fact]
    public async Task The_python_loop_bulk_pattern_renders_and_saves_every_prompt()
    {
        // As Python's json.dumps writes them: "caf\u00e9", not "café".
        string[] prompts = ["a red fox", "a blue jay", "caf\\u00e9 at night"];
        foreach (var (prompt, i) in prompts.Select((p, i) => (p, i)))
        {
            using var response = await PostAsync($$$"""{"prompt": "{{{prompt}}}", "negative_prompt": "", "seed": -1, "steps": 4, "batch_size": 2, "override_settings": {"sd_model_checkpoint": "{{{_farm.Model}}}"}}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var r = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var j = 0;
            foreach (var image in r.RootElement.GetProperty("images").EnumerateArray())
            {
                await File.WriteAllBytesAsync(Path.Combine(_out.FullName, $"{i}-{j++}.png"), Convert.FromBase64String(image.GetString()!));
            }

            using var info = JsonDocument.Parse(r.RootElement.GetProperty("info").GetString()!);
            var seeds = info.RootElement.GetProperty("all_seeds").EnumerateArray().Select(s => s.GetInt64()).ToList();
            Assert.Equal(2, seeds.Count);
            Assert.Equal(RenderFarm.Core.Jobs.Seeds.ForImage(seeds[0], 1), seeds[1]);
        }

        var files = _out.GetFiles("*.png").OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(["0-0.png", "0-1.png", "1-0.png", "1-1.png", "2-0.png", "2-1.png"], files.Select(f => f.Name));
        Assert.Equal(
            ["a red fox", "a red fox", "a blue jay", "a blue jay", "café at night", "café at night"],
            files.Select(f => ImageMetadataReader.ReadParameters(File.ReadAllBytes(f.FullName))!.Split('\n')[0]));
    }

    [Fact]
    public async Task The_model_and_sampler_lists_have_the_WebUI_shapes()
    {
        using var models = JsonDocument.Parse(await _farm.Api.GetStringAsync("/sdapi/v1/sd-models"));
        var model = Assert.Single(models.RootElement.EnumerateArray());
        Assert.Equal(_farm.Model, model.GetProperty("title").GetString());
        Assert.Equal(_farm.Model, model.GetProperty("model_name").GetString());
        Assert.True(model.TryGetProperty("filename", out _));

        using var samplers = JsonDocument.Parse(await _farm.Api.GetStringAsync("/sdapi/v1/samplers"));
        var euler = samplers.RootElement.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "Euler a");
        Assert.Equal(JsonValueKind.Array, euler.GetProperty("aliases").ValueKind);
        Assert.Equal(JsonValueKind.Object, euler.GetProperty("options").ValueKind);
    }

    [Theory]
    [InlineData("""{"prompt": "x", "steps": "many"}""", "body.steps")]
    [InlineData("""{"prompt": "x", "steps": 0}""", "body.steps")]
    [InlineData("""{"prompt": "x", "width": 100}""", "body.width")]
    [InlineData("""{"prompt": "x", "cfg_scale": 1000}""", "body.cfg_scale")]
    [InlineData("""{"prompt": "x", "seed": -2}""", "body.seed")]
    [InlineData("""{"prompt": "x", "batch_size": 0}""", "body.batch_size")]
    [InlineData("""{"prompt": "x", "n_iter": 0}""", "body.n_iter")]
    [InlineData("""{"prompt": "x", "batch_size": 100000}""", "body.batch_size")]
    [InlineData("""{"prompt": ""}""", "body.prompt")]
    [InlineData("""{"prompt": "x", "negative_prompt": "a\u0000b"}""", "body.negative_prompt")]
    [InlineData("""{"prompt": "x", "override_settings": {"sd_model_checkpoint": 5}}""", "body.override_settings.sd_model_checkpoint")]
    [InlineData("""["x"]""", "body")]
    public async Task A_member_the_farm_uses_that_is_wrong_answers_422_like_FastAPI_naming_it(string json, string location)
    {
        var before = await CountJobsAsync();

        using var response = await PostAsync(json);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, body);
        using var answer = JsonDocument.Parse(body);
        var detail = answer.RootElement.GetProperty("detail").EnumerateArray().ToList();
        Assert.Contains(location, detail.Select(d => string.Join('.', d.GetProperty("loc").EnumerateArray().Select(l => l.GetString()))));
        Assert.All(detail, d => Assert.False(string.IsNullOrWhiteSpace(d.GetProperty("msg").GetString())));
        Assert.Equal(before, await CountJobsAsync());
    }

    [Theory]
    [InlineData("""{"prompt": "x", "sampler_name": "Heun++ 9000"}""", "Sampler not found")]
    [InlineData("""{"prompt": "x", "sampler_index": "Heun++ 9000"}""", "Sampler not found")]
    [InlineData("""{"prompt": "x", "override_settings": {"sd_model_checkpoint": "v1-5-pruned-emaonly.safetensors [6ce0161689]"}}""", "Model not found")]
    public async Task An_unknown_sampler_or_checkpoint_answers_404_in_the_WebUIs_error_shape(string json, string detail)
    {
        var before = await CountJobsAsync();

        using var response = await PostAsync(json);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.NotFound, body);
        using var answer = JsonDocument.Parse(body);
        Assert.Equal(("HTTPException", detail), (answer.RootElement.GetProperty("error").GetString(), answer.RootElement.GetProperty("detail").GetString()));
        Assert.Equal(before, await CountJobsAsync());
    }

    /// <summary>The body as its clients send it; the farm's client already carries the admin key.</summary>
    private Task<HttpResponseMessage> PostAsync(string json) =>
        _farm.Api.PostAsync("/sdapi/v1/txt2img", new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task<int> CountJobsAsync()
    {
        await using var db = _farm.CreateDbContext();
        return db.Jobs.Count();
    }
}

using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Farm;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Models;
using RenderFarm.Core.Images;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Models;
using RenderFarm.Core.Workers;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.Inference;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>The model catalog on real servers: workers advertise, the coordinator (with no model configuration) follows.</summary>
public sealed class ModelCatalogTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static ModelAdvertisement Advertised(string name, string identity, int size, int multiple, int steps) =>
        GenericModel.Advertise(name) with
        {
            Family = "stable-diffusion",
            Identity = identity,
            SizeMultiple = multiple,
            MinSize = 32,
            MaxSize = 256,
            DefaultWidth = size,
            DefaultHeight = size,
            DefaultSteps = steps,
            DefaultGuidance = 1.5,
        };

    private static async Task<List<ModelView>> ModelsAsync(TestFarm farm) => (await farm.Api.GetFromJsonAsync<List<ModelView>>("/api/models"))!;

    private static async Task<ValidationProblemDetails> RejectedAsync(TestFarm farm, JobRequest request)
    {
        using var response = await farm.Api.PostAsJsonAsync("/api/jobs", request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
    }

    [Fact]
    public async Task A_coordinator_without_model_configuration_serves_the_catalog_of_its_workers_and_defaults_sizes_per_model()
    {
        var names = new[] { TestFarm.NewModelName(), TestFarm.NewModelName() }.Order(StringComparer.Ordinal).ToArray();
        var small = new TestPatternImageGenerator(names[0], TimeSpan.FromMilliseconds(20), advertised: Advertised(names[0], "sha256:small", 48, 8, 2));
        var large = new TestPatternImageGenerator(names[1], TimeSpan.FromMilliseconds(20), advertised: Advertised(names[1], "sha256:large", 96, 16, 3));
        await using var farm = await TestFarm.StartAsync(names[0], coordinators: 1, [small, large], configureModel: false);

        var models = await ModelsAsync(farm);
        Assert.Equal(names, models.Select(m => m.Name));
        Assert.Equal([(true, 48, 8, 2, "sha256:small", "worker-0"), (false, 96, 16, 3, "sha256:large", "worker-1")],
            models.Select(m => (m.IsDefault, m.DefaultWidth, m.SizeMultiple, m.DefaultSteps, m.Identity, string.Join(',', m.Workers))));
        Assert.All(models, m => Assert.False(m.Configured));

        // Omitted size, steps and guidance come from each model's own advertisement; no model means the default one.
        var onLarge = await farm.SubmitAsync(new JobRequest { Prompts = ["large"], Model = names[1], Count = 2 });
        var onDefault = await farm.SubmitAsync(new JobRequest { Prompts = ["default"], Count = 2 });
        var large1 = await farm.WaitForJobAsync(onLarge.Id, j => j.Status == "completed", Timeout);
        var default1 = await farm.WaitForJobAsync(onDefault.Id, j => j.Status == "completed", Timeout);
        Assert.Equal((names[1], 96, 96, 3, 1.5), (large1.Model, large1.Width, large1.Height, large1.Steps, large1.Guidance));
        Assert.Equal((names[0], 48, 48, 2), (default1.Model, default1.Width, default1.Height, default1.Steps));
        Assert.All(large.Rendered, i => Assert.StartsWith("large", i.Prompt, StringComparison.Ordinal));
        Assert.Equal(2, large.Rendered.Count);

        // Sizes are checked against the named model's limits; an unknown model is the one error of its request.
        var badSize = await RejectedAsync(farm, new JobRequest { Prompts = ["x"], Model = names[1], Width = 104 });
        Assert.Equal(["width"], badSize.Errors.Keys);
        Assert.Contains("multiple of 16", badSize.Errors["width"][0], StringComparison.Ordinal);
        var tooBig = await RejectedAsync(farm, new JobRequest { Prompts = ["x"], Model = names[0], Height = 512 });
        Assert.Equal(["height"], tooBig.Errors.Keys);
        var unknown = await RejectedAsync(farm, new JobRequest { Prompts = ["x"], Model = "no-such-model" });
        Assert.Equal(["model"], unknown.Errors.Keys);
    }

    [Fact]
    public async Task Workers_advertising_one_name_with_different_identities_are_a_conflict_and_only_the_listed_identity_renders_it()
    {
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [], configureModel: false);
        var engines = new[] { ("sha256:aaaa", 48), ("sha256:bbbb", 64), ("sha256:bbbb", 64) }
            .Select(a => new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(10), advertised: Advertised(model, a.Item1, a.Item2, 8, 2)))
            .ToArray();
        for (var i = 0; i < engines.Length; i++)
        {
            // Worker queues are named by worker id, and the test servers are shared: ids of this test's own.
            await farm.StartWorkerAsync($"{model}-w{i}", engines[i]);
        }

        var listed = Assert.Single(await ModelsAsync(farm));

        Assert.Equal([("sha256:aaaa", $"{model}-w0"), ("sha256:bbbb", $"{model}-w1,{model}-w2")],
            listed.Conflicts.OrderBy(c => c.Identity, StringComparer.Ordinal).Select(c => (c.Identity, string.Join(',', c.Workers))));
        // The identity most workers hold gives the rules, and only its workers get the model's images.
        Assert.Equal(("sha256:bbbb", 64), (listed.Identity, listed.DefaultWidth));
        var job = await farm.SubmitAsync(new JobRequest { Prompts = ["which copy"], Count = 16 });
        await farm.WaitForJobAsync(job.Id, j => j.Status == "completed", Timeout);
        Assert.Empty(engines[0].Rendered);
        Assert.Equal(16, engines[1].Rendered.Count + engines[2].Rendered.Count);
    }

    [Fact]
    public async Task A_job_for_a_model_no_worker_serves_waits_says_so_and_starts_when_a_worker_with_it_arrives()
    {
        var present = TestFarm.NewModelName();
        var absent = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(present, coordinators: 1, [new TestPatternImageGenerator(present, TimeSpan.Zero)],
            new Dictionary<string, string?> { ["Models:Available:0:Name"] = absent, ["Models:Available:0:DefaultWidth"] = "64", ["Models:Available:0:DefaultHeight"] = "64" },
            configureModel: false);

        // Known (the operator named it) but served by no one: asking for a worker now is refused, and nothing is written.
        using (var refused = await farm.Api.PostAsJsonAsync("/api/jobs", new JobRequest { Prompts = ["now"], Model = absent, RequireWorker = true }))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains(absent, (await refused.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail, StringComparison.Ordinal);
        }

        var waiting = await farm.SubmitAsync(new JobRequest { Prompts = ["later"], Model = absent, Count = 6 });
        var served = await farm.SubmitAsync(new JobRequest { Prompts = ["now"], Model = present, Count = 2, RequireWorker = true });
        await farm.WaitForJobAsync(served.Id, j => j.Status == "completed", Timeout);

        var view = await farm.GetJobAsync(waiting.Id);
        Assert.True(view.WaitingForWorker);
        Assert.Equal(0, view.Completed);
        Assert.False((await farm.GetJobAsync(served.Id)).WaitingForWorker);
        var unserved = Assert.Single((await farm.Api.GetFromJsonAsync<FarmView>("/api/farm"))!.Unserved);
        Assert.Equal((absent, 1, 6), (unserved.Model, unserved.Jobs, unserved.Waiting));
        // Nothing of it was sent: with no worker to take them, its images wait in the database.
        Assert.Equal(0, await DispatchedAsync(farm, waiting.Id));
        Assert.Equal("queued", view.Status);
        await using (var db = farm.CreateDbContext())
        {
            // The refused requireWorker job left nothing behind.
            Assert.Equal([waiting.Id], db.Jobs.Where(j => j.Model == absent).Select(j => j.Id).ToList());
        }

        var arriving = new TestPatternImageGenerator(absent, TimeSpan.Zero);
        await farm.StartWorkerAsync("late-worker", arriving);

        var done = await farm.WaitForJobAsync(waiting.Id, j => j.Status == "completed", Timeout);
        Assert.False(done.WaitingForWorker);
        Assert.Equal(6, arriving.Rendered.Count);
        Assert.Empty((await farm.Api.GetFromJsonAsync<FarmView>("/api/farm"))!.Unserved);
    }

    [Fact]
    public async Task Label_routing_sends_a_labelled_job_only_to_workers_with_its_labels()
    {
        var model = TestFarm.NewModelName();
        await using var farm = await TestFarm.StartAsync(model, coordinators: 1, [], configureModel: false);
        var engines = Enumerable.Range(0, 3).Select(_ => new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(20))).ToArray();
        for (var i = 0; i < engines.Length; i++)
        {
            // Worker queues are named by worker id, and the test servers are shared: ids of this test's own.
            await farm.StartWorkerAsync($"{model}-w{i}", engines[i], new Dictionary<string, string?> { ["Worker:Labels:0"] = i == 1 ? "studio-b" : "studio-a" });
        }

        var workers = (await farm.Api.GetFromJsonAsync<List<WorkerRecord>>("/api/workers"))!;
        Assert.Equal(["studio-a,test-pattern", "studio-b,test-pattern", "studio-a,test-pattern"], workers.Select(w => string.Join(',', w.Labels)));
        Assert.All(workers, w => Assert.Equal([model], w.Models));

        // A job whose labels no worker has waits in the database; the studio-a job renders on the studio-a workers only.
        var nobody = await farm.SubmitAsync(new JobRequest { Prompts = ["nobody"], Count = 4, RequireLabels = ["studio-c"] });
        var studioA = await farm.SubmitAsync(new JobRequest { Prompts = ["for a", "also for a"], Count = 12, RequireLabels = ["studio-a"] });
        await farm.WaitForJobAsync(studioA.Id, j => j.Status == "completed", Timeout);

        var images = (await farm.Api.GetFromJsonAsync<List<JobImageView>>($"/api/jobs/{studioA.Id:D}/images"))!;
        Assert.Equal(24, images.Count);
        Assert.All(images, i => Assert.Contains(i.WorkerId, (string[])[$"{model}-w0", $"{model}-w2"]));
        Assert.Empty(engines[1].Rendered);
        Assert.Equal(24, engines[0].Rendered.Count + engines[2].Rendered.Count);

        var waiting = await farm.GetJobAsync(nobody.Id);
        Assert.True(waiting.WaitingForWorker);
        Assert.Equal(["studio-c"], waiting.RequireLabels);
        await using var db = farm.CreateDbContext();
        Assert.Equal(4, db.Images.Count(i => i.JobId == nobody.Id && i.Status == ImageStatus.Pending));
    }

    [Fact]
    public async Task A_model_folder_moved_into_a_running_workers_root_is_advertised_with_its_renderfarm_json_and_renders()
    {
        var repository = FindRepositoryRoot();
        var (first, added) = (TestFarm.NewModelName(), TestFarm.NewModelName());
        var root = Directory.CreateTempSubdirectory("renderfarm-models-").FullName;
        CopyFolder(Path.Combine(repository, "models", "tiny-shapes"), Path.Combine(root, first));
        // Disposed after the farm (declared first), so the worker never outlives its engine.
        using var engine = new OnnxImageGenerator(Options.Create(new InferenceOptions { ModelsRoot = root, IntraOpThreads = 1, AllowSpinning = false }));
        await using var farm = await TestFarm.StartAsync(first, coordinators: 1, [], configureModel: false);
        await farm.StartWorkerAsync($"{first}-onnx", engine, new Dictionary<string, string?> { ["Worker:ModelScanInterval"] = "00:00:00.200" });

        var shapes = Assert.Single(await ModelsAsync(farm));
        Assert.Equal((first, "stable-diffusion", 128, 4, 1.0), (shapes.Name, shapes.Family, shapes.DefaultWidth, shapes.DefaultSteps, shapes.DefaultGuidance));
        Assert.StartsWith("sha256:", shapes.Identity, StringComparison.Ordinal);

        // Prepared beside the root and moved in whole, so a scan never sees half a folder.
        var staging = Path.Combine(Path.GetTempPath(), $"{added}-{Guid.NewGuid():N}");
        CopyFolder(Path.Combine(repository, "tests", "fixtures", "models", "tiny-sd-turbo"), staging);
        await File.WriteAllTextAsync(Path.Combine(staging, "renderfarm.json"), """{ "DefaultWidth": 64, "DefaultHeight": 64, "DefaultSteps": 1, "DefaultGuidance": 0 }""");
        Directory.Move(staging, Path.Combine(root, added));

        using var deadline = new CancellationTokenSource(Timeout);
        while ((await ModelsAsync(farm)).All(m => m.Name != added))
        {
            await Task.Delay(100, deadline.Token);
        }

        var turbo = (await ModelsAsync(farm)).Single(m => m.Name == added);
        Assert.Equal((64, 1, $"{first}-onnx"), (turbo.DefaultWidth, turbo.DefaultSteps, string.Join(',', turbo.Workers)));
        var job = await farm.SubmitAsync(new JobRequest { Prompts = ["a red cat"], Model = added, Count = 2 });
        var done = await farm.WaitForJobAsync(job.Id, j => j.Status is "completed" or "failed" or "completed_with_errors", Timeout);
        Assert.Equal(("completed", 2, 64), (done.Status, done.Completed, done.Width));
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

        throw new DirectoryNotFoundException("RenderFarm.sln not found above the test binaries.");
    }

    private static void CopyFolder(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest);
        }
    }

    private static async Task<int> DispatchedAsync(TestFarm farm, Guid jobId)
    {
        await using var db = farm.CreateDbContext();
        return db.Images.Count(i => i.JobId == jobId && i.Status == ImageStatus.Dispatched);
    }
}

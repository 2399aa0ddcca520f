using Microsoft.Extensions.DependencyInjection;
using RenderFarm.Cli;
using RenderFarm.Cli.Farms;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Storage;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.Worker;

namespace RenderFarm.IntegrationTests;

/// <summary>An object store that fails costs time, never an image: uploads that fail hand images back uncharged.</summary>
public sealed class StoreOutageTests
{
    [Fact]
    public async Task A_rendered_image_waits_for_the_store_to_come_back_instead_of_being_rendered_again()
    {
        // Three failures: a local store is never probed, so each failure in turn doubles the worker's pause (1, 2, 4 s).
        var engine = new TestPatternImageGenerator("tiny-shapes", TimeSpan.Zero);
        var store = new FlakyImageStore(failures: 3);

        var (job, images) = await RenderFourAsync(engine, store, keepRenderedFor: null);

        // The first three uploads failed, yet each image was rendered once, and nothing was charged.
        Assert.Equal(("completed", 4, 0), (job.Status, job.Completed, job.Failed));
        Assert.Equal(3, store.Failed);
        Assert.Equal(4, engine.Rendered.Count);
        Assert.All(images, i => Assert.Equal(("rendered", 1), (i.Status, i.Attempts)));
    }

    [Fact]
    public async Task Images_handed_back_after_their_uploads_failed_render_again_with_one_attempt_each()
    {
        var engine = new TestPatternImageGenerator("tiny-shapes", TimeSpan.Zero);
        var store = new FlakyImageStore(failures: 12);

        var (job, images) = await RenderFourAsync(engine, store, keepRenderedFor: TimeSpan.Zero);

        // Handed back at once, three rounds failed (three times the attempt limit for each image), yet nothing failed.
        Assert.Equal(("completed", 4, 0), (job.Status, job.Completed, job.Failed));
        Assert.Equal(12, store.Failed);
        Assert.True(engine.Rendered.Count >= 16, $"{engine.Rendered.Count} renders");
        Assert.All(images, i => Assert.Equal(("rendered", 1), (i.Status, i.Attempts)));
    }

    private static async Task<(JobView Job, IReadOnlyList<JobImageView> Images)> RenderFourAsync(
        TestPatternImageGenerator engine, FlakyImageStore store, TimeSpan? keepRenderedFor)
    {
        await using var farm = await EmbeddedFarm.StartAsync(CliApplication.DefaultModelsDirectory, dataDirectory: null, services =>
        {
            services.AddSingleton<IImageGenerator>(engine);
            services.AddSingleton<IImageStore>(store);
            if (keepRenderedFor is { } keep)
            {
                services.PostConfigure<WorkerOptions>(o => o.KeepRenderedFor = keep);
            }
        }, CancellationToken.None);

        var (accepted, _) = await farm.SubmitAsync(new JobRequest { Prompts = ["a river"], Count = 4, Width = 64, Height = 64, Seed = 1 }, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        JobView job;
        while ((job = await farm.GetJobAsync(accepted!.Id, timeout.Token)).Status is "queued" or "running")
        {
            await Task.Delay(50, timeout.Token);
        }

        return (job, await farm.GetImagesAsync(accepted.Id, timeout.Token));
    }

    private sealed class FlakyImageStore(int failures) : IImageStore
    {
        private int _puts;

        public int Failed => Math.Min(_puts, failures);

        public Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _puts) <= failures
                ? throw new IOException("Connection refused (the test's store is down)")
                : Task.CompletedTask;

        public ValueTask<Uri?> CreateUploadUrlAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken) => ValueTask.FromResult<Uri?>(null);

        public Task CopyToAsync(string key, Stream destination, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task EnsureReadyAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken cancellationToken) => AsyncEnumerable.Empty<StoredObject>();
    }
}

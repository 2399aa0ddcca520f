using Microsoft.Extensions.DependencyInjection;
using RenderFarm.Cli;
using RenderFarm.Cli.Farms;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Storage;
using RenderFarm.IntegrationTests.Engines;

namespace RenderFarm.IntegrationTests;

/// <summary>An object store that fails costs time, never an image: uploads that fail hand images back uncharged.</summary>
public sealed class StoreOutageTests
{
    [Fact]
    public async Task Images_whose_upload_failed_more_often_than_the_attempt_limit_still_render_with_one_attempt_each()
    {
        var engine = new TestPatternImageGenerator("tiny-shapes", TimeSpan.Zero);
        var store = new FlakyImageStore(failures: 12);
        await using var farm = await EmbeddedFarm.StartAsync(CliApplication.DefaultModelsDirectory, dataDirectory: null, services =>
        {
            services.AddSingleton<IImageGenerator>(engine);
            services.AddSingleton<IImageStore>(store);
        }, CancellationToken.None);

        var (accepted, _) = await farm.SubmitAsync(new JobRequest { Prompts = ["a river"], Count = 4, Width = 64, Height = 64, Seed = 1 }, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        JobView job;
        while ((job = await farm.GetJobAsync(accepted!.Id, timeout.Token)).Status is "queued" or "running")
        {
            await Task.Delay(50, timeout.Token);
        }

        // Every upload of the first three rounds failed (three times the attempt limit for each image), yet nothing failed.
        Assert.Equal(("completed", 4, 0), (job.Status, job.Completed, job.Failed));
        Assert.Equal(12, store.Failed);
        Assert.True(engine.Rendered.Count >= 16, $"{engine.Rendered.Count} renders");
        var images = await farm.GetImagesAsync(accepted.Id, timeout.Token);
        Assert.All(images, i => Assert.Equal(("rendered", 1), (i.Status, i.Attempts)));
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

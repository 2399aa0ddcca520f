using Microsoft.Extensions.DependencyInjection;
using RenderFarm.Cli;
using RenderFarm.Cli.Farms;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Storage;
using RenderFarm.IntegrationTests.Engines;

namespace RenderFarm.IntegrationTests;

/// <summary>The engine must not wait for I/O: a batch's encoding and upload overlap the next batch's inference.</summary>
public sealed class WorkerPipeliningTests
{
    [Fact]
    public async Task The_next_batch_enters_the_engine_while_the_previous_one_is_still_uploading()
    {
        var engine = new CountingEngine(new TestPatternImageGenerator("tiny-shapes", TimeSpan.Zero));
        var store = new GatedImageStore(engine.EnteredTwice);

        // Uploads wait until the engine has been entered a second time: without overlap this job never finishes.
        await using var farm = await EmbeddedFarm.StartAsync(CliApplication.DefaultModelsDirectory, dataDirectory: null, services =>
        {
            services.AddSingleton<IImageGenerator>(engine);
            services.AddSingleton<IImageStore>(store);
        }, CancellationToken.None);
        var (accepted, _) = await farm.SubmitAsync(new JobRequest { Prompts = ["a river"], Count = 8, Width = 64, Height = 64 }, CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((await farm.GetJobAsync(accepted!.Id, timeout.Token)).Status != "completed")
        {
            await Task.Delay(50, timeout.Token);
        }

        Assert.True(engine.Calls >= 2);
        Assert.Equal(8, store.Puts);
    }

    private sealed class CountingEngine(IImageGenerator inner) : IImageGenerator
    {
        private readonly TaskCompletionSource _enteredTwice = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public Task EnteredTwice => _enteredTwice.Task;

        public int Calls => _calls;

        public IReadOnlyCollection<string> Models => inner.Models;

        public string Device => inner.Device;

        public Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 2)
            {
                _enteredTwice.SetResult();
            }

            return inner.GenerateAsync(batch, progress, cancellationToken);
        }
    }

    private sealed class GatedImageStore(Task gate) : IImageStore
    {
        private int _puts;

        public int Puts => _puts;

        public async Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken);
            Interlocked.Increment(ref _puts);
        }

        public ValueTask<Uri?> CreateUploadUrlAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken) => ValueTask.FromResult<Uri?>(null);

        public Task CopyToAsync(string key, Stream destination, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task EnsureReadyAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken cancellationToken) => AsyncEnumerable.Empty<StoredObject>();
    }
}

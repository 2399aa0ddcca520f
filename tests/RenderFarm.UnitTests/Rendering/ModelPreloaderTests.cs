using Microsoft.Extensions.Logging.Abstractions;
using RenderFarm.Core.Generation;
using RenderFarm.Worker.Rendering;

namespace RenderFarm.UnitTests.Rendering;

public sealed class ModelPreloaderTests
{
    [Fact]
    public async Task A_worker_without_any_model_stops_at_start_naming_the_setting()
    {
        var preloader = new ModelPreloader(new NoModels(), NullLogger<ModelPreloader>.Instance);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => preloader.StartAsync(CancellationToken.None));

        Assert.Contains("Inference:Models", error.Message, StringComparison.Ordinal);
    }

    private sealed class NoModels : IImageGenerator
    {
        public IReadOnlyCollection<string> Models => [];

        public string Device => "cpu";

        public Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}

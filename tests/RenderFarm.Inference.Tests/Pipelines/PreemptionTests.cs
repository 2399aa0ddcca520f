using Microsoft.Extensions.Options;
using RenderFarm.Core.Generation;

namespace RenderFarm.Inference.Tests.Pipelines;

/// <summary>
/// A batch paused between its denoising steps for another batch comes out as it would have alone: its state is its
/// latents (and, with IO binding, buffers bound for it alone), and the other batch shares only the sessions.
/// </summary>
public sealed class PreemptionTests
{
    [Theory]
    [InlineData("tiny-sd-turbo", 64, 0.0, false)]
    [InlineData("tiny-sd-turbo", 64, 5.0, false)]
    [InlineData("tiny-sd-turbo", 64, 5.0, true)]
    [InlineData("tiny-zimage", 32, 4.0, false)]
    [InlineData("tiny-zimage", 32, 4.0, true)]
    public async Task A_batch_let_in_between_steps_changes_neither_batch(string model, int size, double guidance, bool ioBinding)
    {
        using var generator = new OnnxImageGenerator(Options.Create(new InferenceOptions
        {
            Models = [new InferenceModelOptions { Name = model, Path = TestModels.Fixture(model) }],
            IntraOpThreads = 1,
            IoBinding = ioBinding,
        }));
        var running = TestModels.Batch(model, size, 4, guidance, 1, 2);
        var urgent = TestModels.Batch(model, size, 2, guidance, 7);
        var runningAlone = await generator.GenerateAsync(running, null, CancellationToken.None);
        var urgentAlone = await generator.GenerateAsync(urgent, null, CancellationToken.None);

        var progress = new RecordingProgress();
        var preemption = new UrgentBatch(generator, urgent, progress);
        var paused = await generator.GenerateAsync(running, progress, preemption, CancellationToken.None);

        // Asked after every step but the last (a batch that is about to decode goes on), and let in at the first.
        Assert.Equal([1, 2, 3], preemption.AskedAfterSteps);
        Assert.Equal(runningAlone.Images.Select(i => i.Rgb), paused.Images.Select(i => i.Rgb));
        Assert.Equal(urgentAlone.Images[0].Rgb, preemption.Result!.Images[0].Rgb);
    }

    private sealed class UrgentBatch(IImageGenerator generator, GenerationBatch urgent, RecordingProgress progress) : IPreemption
    {
        public List<int> AskedAfterSteps { get; } = [];

        public GenerationResult? Result { get; private set; }

        public async ValueTask BetweenStepsAsync(CancellationToken cancellationToken)
        {
            AskedAfterSteps.Add(progress.Reports[^1].Step);
            Result ??= await generator.GenerateAsync(urgent, null, cancellationToken);
        }
    }
}

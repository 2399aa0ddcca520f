using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using RenderFarm.Cli;
using RenderFarm.Cli.Farms;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Telemetry;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.Worker;

namespace RenderFarm.IntegrationTests;

/// <summary>
/// A small job submitted while a big job's batch is in the engine renders between that batch's steps, through the
/// whole worker (queue, engine, upload, report, recording), and the paused batch is rendered once, not again.
/// </summary>
public sealed class PreemptionTests
{
    [Fact]
    public async Task A_small_job_renders_between_the_steps_of_a_big_jobs_batch_and_both_complete()
    {
        var engine = new SteppedEngine(holdBigFor: TimeSpan.FromSeconds(30));
        await using var farm = await StartAsync(engine, preemption: true);
        long preemptions = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FarmMetrics.MeterName && instrument.Name == "engine.preemptions")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref preemptions, value));
        listener.Start();

        var (big, small) = await SubmitBigThenSmallAsync(farm, engine);

        Assert.Equal(["big", "small", "/small", "/big"], engine.Events);
        Assert.True(Interlocked.Read(ref preemptions) >= 1);
        Assert.Equal(4, (await farm.GetJobAsync(big, CancellationToken.None)).Completed);
        Assert.Equal(2, (await farm.GetJobAsync(small, CancellationToken.None)).Completed);
        Assert.Equal(6, engine.Inner.Rendered.Count);
    }

    [Fact]
    public async Task With_preemption_off_the_small_job_waits_for_the_batch_in_the_engine()
    {
        var engine = new SteppedEngine(holdBigFor: TimeSpan.FromSeconds(2));
        await using var farm = await StartAsync(engine, preemption: false);

        await SubmitBigThenSmallAsync(farm, engine);

        Assert.Equal(["big", "/big", "small", "/small"], engine.Events);
    }

    private static Task<IFarmClient> StartAsync(SteppedEngine engine, bool preemption) =>
        EmbeddedFarm.StartAsync(CliApplication.DefaultModelsDirectory, dataDirectory: null, services =>
        {
            services.AddSingleton<IImageGenerator>(engine);
            // One batch in the engine at a time, as on a GPU: the embedded farm's second slot would take the small job.
            services.Configure<WorkerOptions>(o =>
            {
                o.GpuSlots = 1;
                o.Preemption = preemption;
            });
        }, CancellationToken.None);

    private static async Task<(Guid Big, Guid Small)> SubmitBigThenSmallAsync(IFarmClient farm, SteppedEngine engine)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var (big, _) = await farm.SubmitAsync(new JobRequest { Prompts = ["big"], Count = 4, Width = 64, Height = 64, Steps = 4 }, timeout.Token);
        await engine.BigEntered.WaitAsync(timeout.Token);
        var (small, _) = await farm.SubmitAsync(new JobRequest { Prompts = ["small"], Count = 2, Width = 64, Height = 64, Steps = 4 }, timeout.Token);
        foreach (var id in new[] { big!.Id, small!.Id })
        {
            while ((await farm.GetJobAsync(id, timeout.Token)).Status != "completed")
            {
                await Task.Delay(50, timeout.Token);
            }
        }

        return (big.Id, small.Id);
    }

    /// <summary>
    /// Holds the big job's batch in the engine, offering the worker to preempt it every 20 ms until the small job has
    /// rendered (or <paramref name="holdBigFor"/> has passed), and records when each batch enters and leaves.
    /// </summary>
    private sealed class SteppedEngine(TimeSpan holdBigFor) : IImageGenerator
    {
        private readonly TaskCompletionSource _bigEntered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentQueue<string> _events = new();

        public TestPatternImageGenerator Inner { get; } = new("tiny-shapes", TimeSpan.Zero);

        public Task BigEntered => _bigEntered.Task;

        public IReadOnlyList<string> Events => [.. _events];

        public IReadOnlyCollection<string> Models => Inner.Models;

        public string Device => Inner.Device;

        public Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken) =>
            GenerateAsync(batch, progress, null, cancellationToken);

        public async Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, IPreemption? preemption, CancellationToken cancellationToken)
        {
            var name = batch.Items[0].Prompt;
            _events.Enqueue(name);
            if (name == "big")
            {
                _bigEntered.TrySetResult();
                var until = DateTimeOffset.UtcNow + holdBigFor;
                while (!_events.Contains("/small") && DateTimeOffset.UtcNow < until)
                {
                    if (preemption is not null)
                    {
                        await preemption.BetweenStepsAsync(cancellationToken);
                    }

                    await Task.Delay(20, cancellationToken);
                }
            }

            var result = await Inner.GenerateAsync(batch, progress, cancellationToken);
            _events.Enqueue("/" + name);
            return result;
        }
    }
}

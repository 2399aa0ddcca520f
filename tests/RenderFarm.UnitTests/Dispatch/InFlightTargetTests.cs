using RenderFarm.Coordinator.Dispatch;
using RenderFarm.Core.Workers;

namespace RenderFarm.UnitTests.Dispatch;

/// <summary>How many images the dispatcher keeps on the bus for one worker, from what its heartbeat reports.</summary>
public sealed class InFlightTargetTests
{
    private static readonly DispatchOptions Settings = new() { BatchesInFlightPerWorker = 2, RoundTripAllowance = TimeSpan.FromMilliseconds(100) };

    [Fact]
    public void Before_its_first_batch_a_worker_gets_its_batches_in_flight()
    {
        Assert.Equal(8, ImageDispatcher.InFlightTarget(new WorkerRecord { BatchSize = 4 }, Settings));
    }

    [Fact]
    public void A_measured_engine_adds_what_it_renders_while_a_result_comes_back()
    {
        // 100 ms of round trip at 10 ms per image: ten images more.
        Assert.Equal(18, ImageDispatcher.InFlightTarget(new WorkerRecord { BatchSize = 4, EngineMillisecondsPerImage = 10 }, Settings));
    }

    [Fact]
    public void An_engine_that_runs_two_batches_at_once_gets_a_batch_more_and_renders_twice_as_much_meanwhile()
    {
        // Each of its two slots takes 10 ms per image, so it renders 20 images in the 100 ms round trip.
        Assert.Equal(12 + 20, ImageDispatcher.InFlightTarget(new WorkerRecord { BatchSize = 4, EngineSlots = 2, EngineMillisecondsPerImage = 10 }, Settings));
    }

    [Fact]
    public void The_ceiling_bounds_what_a_fast_engine_gets_but_never_below_its_batches()
    {
        var settings = new DispatchOptions { BatchesInFlightPerWorker = 2, MaxInFlightPerWorker = 16 };

        Assert.Equal(16, ImageDispatcher.InFlightTarget(new WorkerRecord { BatchSize = 4, EngineMillisecondsPerImage = 0.5 }, settings));
        Assert.Equal(64, ImageDispatcher.InFlightTarget(new WorkerRecord { BatchSize = 32, EngineMillisecondsPerImage = 0.5 }, settings));
    }
}

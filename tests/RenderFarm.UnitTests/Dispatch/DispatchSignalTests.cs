using RenderFarm.Coordinator.Dispatch;

namespace RenderFarm.UnitTests.Dispatch;

/// <summary>A submitted job wakes the dispatcher and skips the round interval once; a reported batch only wakes it.</summary>
public sealed class DispatchSignalTests
{
    [Fact]
    public async Task A_new_job_wakes_the_dispatcher_and_is_taken_once()
    {
        using var signal = new DispatchSignal();

        signal.NotifyNewJob();

        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.True(signal.TakeNewJob());
        Assert.False(signal.TakeNewJob());
    }

    [Fact]
    public async Task A_reported_batch_wakes_the_dispatcher_without_skipping_the_interval()
    {
        using var signal = new DispatchSignal();

        signal.Notify();

        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.False(signal.TakeNewJob());
    }
}

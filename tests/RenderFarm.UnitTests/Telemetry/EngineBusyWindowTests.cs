using RenderFarm.Core.Telemetry;

namespace RenderFarm.UnitTests.Telemetry;

public sealed class EngineBusyWindowTests
{
    [Fact]
    public void Engine_time_over_wall_time_counts_calls_still_in_the_engine()
    {
        var clock = new ManualClock();
        using var window = new EngineBusyWindow("w", slots: 1, clock);

        clock.Advance(TimeSpan.FromSeconds(10));
        using (window.Enter())
        {
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        clock.Advance(TimeSpan.FromSeconds(10));
        var running = window.Enter();
        clock.Advance(TimeSpan.FromSeconds(10));

        // 40 s since start: 10 s finished and 10 s of the call in progress.
        Assert.Equal(0.5, window.Fraction(), 6);
        running.Dispose();
    }

    [Fact]
    public void Only_the_last_minute_counts_and_slots_share_the_wall_time()
    {
        var clock = new ManualClock();
        using var window = new EngineBusyWindow("w", slots: 2, clock);
        using (window.Enter())
        {
            clock.Advance(TimeSpan.FromMinutes(2));
        }

        var first = window.Enter();
        var second = window.Enter();
        clock.Advance(TimeSpan.FromSeconds(30));
        first.Dispose();
        second.Dispose();
        clock.Advance(TimeSpan.FromSeconds(30));

        // The first call ended as the last minute began; two calls of 30 s on two slots fill half of the minute.
        Assert.Equal(0.5, window.Fraction(), 6);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, window.Fraction());
    }
}

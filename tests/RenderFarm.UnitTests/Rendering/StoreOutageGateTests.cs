using RenderFarm.Worker.Rendering;

namespace RenderFarm.UnitTests.Rendering;

public sealed class StoreOutageGateTests
{
    [Fact]
    public void Failures_close_the_gate_for_doubling_pauses_up_to_the_maximum_and_a_success_opens_it()
    {
        var clock = new ManualClock();
        var gate = new StoreOutageGate(clock);
        Assert.Equal(TimeSpan.Zero, gate.Remaining);

        var pauses = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            gate.UploadFailed();
            gate.UploadFailed(); // the same batch's next image: no longer pause
            pauses.Add(gate.Remaining);
            clock.Advance(gate.Remaining);
        }

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], pauses.Select(p => p.TotalSeconds));
        gate.UploadFailed();
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(20), gate.Remaining);

        gate.UploadSucceeded();
        Assert.Equal(TimeSpan.Zero, gate.Remaining);
        gate.UploadFailed();
        Assert.Equal(StoreOutageGate.FirstPause, gate.Remaining);
    }

    [Fact]
    public async Task An_open_gate_does_not_wait()
    {
        var gate = new StoreOutageGate(new ManualClock());

        await gate.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

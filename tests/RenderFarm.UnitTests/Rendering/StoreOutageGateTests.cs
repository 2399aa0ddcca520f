using RenderFarm.Worker.Rendering;

namespace RenderFarm.UnitTests.Rendering;

public sealed class StoreOutageGateTests
{
    private static readonly Uri Store = new("http://minio:9000/renderfarm/jobs/x/000001.png?X-Amz-Signature=abc");

    [Fact]
    public void Failures_close_the_gate_for_doubling_pauses_up_to_the_maximum_and_a_success_opens_it()
    {
        var clock = new ManualClock();
        var gate = new StoreOutageGate(clock, new FakeProbe());
        Assert.Equal(TimeSpan.Zero, gate.Remaining);

        var pauses = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            gate.UploadFailed(Store);
            gate.UploadFailed(Store); // the same batch's next image: no longer pause
            pauses.Add(gate.Remaining);
            clock.Advance(gate.Remaining);
        }

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], pauses.Select(p => p.TotalSeconds));
        gate.UploadFailed(Store);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(20), gate.Remaining);

        gate.UploadSucceeded();
        Assert.Equal(TimeSpan.Zero, gate.Remaining);
        gate.UploadFailed(Store);
        Assert.Equal(StoreOutageGate.FirstPause, gate.Remaining);
    }

    [Fact]
    public async Task An_open_gate_does_not_wait()
    {
        var gate = new StoreOutageGate(new ManualClock(), new FakeProbe());

        await gate.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_wait_ends_when_the_waiter_stops_waiting_though_the_gate_is_still_closed()
    {
        var gate = new StoreOutageGate(new ManualClock(), new FakeProbe());
        gate.UploadFailed(Store);
        var asked = 0;

        await gate.WaitAsync(CancellationToken.None, stopWaiting: () => ++asked >= 2).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, asked);
        Assert.Equal(StoreOutageGate.FirstPause, gate.Remaining);
    }

    [Fact]
    public async Task A_store_that_answers_the_probe_opens_the_gate_early_and_the_pause_keeps_doubling_if_it_fails_again()
    {
        var clock = new ManualClock();
        var probe = new FakeProbe();
        var gate = new StoreOutageGate(clock, probe);
        for (var i = 0; i < 4; i++)
        {
            gate.UploadFailed(Store);
            clock.Advance(gate.Remaining);
        }

        gate.UploadFailed(Store);
        Assert.Equal(TimeSpan.FromSeconds(16), gate.Remaining);

        await gate.TryReopenAsync(CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(16), gate.Remaining);
        Assert.Equal([Store], probe.Probed);

        probe.Reachable = true;
        await gate.TryReopenAsync(CancellationToken.None);
        Assert.Equal(TimeSpan.Zero, gate.Remaining);

        // Up but still refusing uploads: the next pause is longer, as if the gate had stayed shut.
        gate.UploadFailed(Store);
        Assert.Equal(TimeSpan.FromSeconds(30), gate.Remaining);
    }

    [Fact]
    public async Task A_local_store_and_an_open_gate_are_never_probed()
    {
        var probe = new FakeProbe { Reachable = true };
        var gate = new StoreOutageGate(new ManualClock(), probe);
        await gate.TryReopenAsync(CancellationToken.None);

        gate.UploadFailed(null);
        await gate.TryReopenAsync(CancellationToken.None);

        Assert.Empty(probe.Probed);
        Assert.Equal(StoreOutageGate.FirstPause, gate.Remaining);
    }

    private sealed class FakeProbe : IStoreProbe
    {
        public bool Reachable { get; set; }

        public List<Uri> Probed { get; } = [];

        public Task<bool> IsReachableAsync(Uri uploadAddress, CancellationToken cancellationToken)
        {
            Probed.Add(uploadAddress);
            return Task.FromResult(Reachable);
        }
    }
}

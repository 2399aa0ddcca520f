using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Dispatch;
using RenderFarm.Coordinator.Workers;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>Heartbeats that give the dispatcher more room wake it; the routine ones do not.</summary>
public sealed class WorkerRegistryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rf-registry-").FullName;

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_new_worker_its_first_measured_pace_and_its_return_after_expiry_wake_the_dispatcher(string provider)
    {
        await using var db = await TestDatabases.CreateAsync(provider, _folder, "registry");
        using var signal = new DispatchSignal();
        var registry = new WorkerRegistry(db, signal, Options.Create(new DispatchOptions()), TimeProvider.System);
        async Task<bool> WokenBy(WorkerHeartbeat heartbeat)
        {
            await registry.RecordAsync(heartbeat, CancellationToken.None);
            return await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None);
        }

        var started = DateTimeOffset.UtcNow.AddSeconds(-10);
        Assert.True(await WokenBy(Heartbeat("gpu-1", started, started.AddSeconds(1), engineMilliseconds: null)));
        Assert.False(await WokenBy(Heartbeat("gpu-1", started, started.AddSeconds(2), engineMilliseconds: null)));
        Assert.True(await WokenBy(Heartbeat("gpu-1", started, started.AddSeconds(3), engineMilliseconds: 40)));
        Assert.False(await WokenBy(Heartbeat("gpu-1", started, started.AddSeconds(4), engineMilliseconds: 45)));

        // Silent for minutes (expired), then heard again: live once more, with its queue to fill.
        var earlier = DateTimeOffset.UtcNow.AddMinutes(-5);
        Assert.True(await WokenBy(Heartbeat("gpu-2", earlier, earlier.AddSeconds(1), engineMilliseconds: 45)));
        Assert.True(await WokenBy(Heartbeat("gpu-2", earlier, DateTimeOffset.UtcNow, engineMilliseconds: 45)));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static WorkerHeartbeat Heartbeat(string worker, DateTimeOffset started, DateTimeOffset sent, double? engineMilliseconds) => new()
    {
        WorkerId = worker,
        Host = "host-1",
        Device = "cpu",
        Models = ["tiny-shapes"],
        BatchSize = 4,
        ImagesRendered = 0,
        EngineMillisecondsPerImage = engineMilliseconds,
        StartedAt = started,
        SentAt = sent,
    };
}

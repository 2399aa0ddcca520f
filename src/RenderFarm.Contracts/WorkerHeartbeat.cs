namespace RenderFarm.Contracts;

/// <summary>Periodic liveness report of one worker process (one GPU).</summary>
public sealed record WorkerHeartbeat
{
    public required string WorkerId { get; init; }
    public required string Host { get; init; }
    public required string Device { get; init; }
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>Every model <see cref="Models"/> names, with its identity, limits and defaults; empty from a worker that predates the catalog.</summary>
    public IReadOnlyList<ModelAdvertisement> Catalog { get; init; } = [];

    /// <summary>The kind of device (<c>cpu</c>, <c>cuda</c>, …): <see cref="Device"/> without its index.</summary>
    public string? DeviceClass { get; init; }

    /// <summary>The device's memory in bytes, when the worker could tell.</summary>
    public long? DeviceMemoryBytes { get; init; }

    /// <summary>The worker's labels (its device class and the operator's own, such as <c>studio-a</c>): jobs and models may require some.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];
    public required int BatchSize { get; init; }
    public required long ImagesRendered { get; init; }

    /// <summary>Recent engine time per image, from which the coordinator sizes how much work to keep queued for it.</summary>
    public double? EngineMillisecondsPerImage { get; init; }

    /// <summary>Batches the engine runs at once (<c>Worker:GpuSlots</c>), each taking <see cref="EngineMillisecondsPerImage"/> per image; 1 from a worker that predates it.</summary>
    public int EngineSlots { get; init; } = 1;

    /// <summary><c>active</c>, <c>draining</c> (finishing what it holds, taking nothing) or <c>quarantined</c> (stepped aside after engine failures).</summary>
    public string State { get; init; } = "active";

    /// <summary>Why the worker is not active (who drained it, the failures that quarantined it); null while active.</summary>
    public string? StateReason { get; init; }

    /// <summary>The images whose messages the worker holds (received, not yet reported): the coordinator finds lost ones by their absence.</summary>
    public IReadOnlyList<Guid> Holding { get; init; } = [];

    /// <summary>
    /// How many messages the worker takes at most (its prefetch); holding fewer, it waits for none on the broker. 0 while
    /// one of its queues has lost its broker connection (its messages wait there), and from a worker that predates <see cref="Holding"/>.
    /// </summary>
    public int HoldingCapacity { get; init; }

    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset SentAt { get; init; }
}

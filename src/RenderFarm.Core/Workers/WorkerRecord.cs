using RenderFarm.Contracts;

namespace RenderFarm.Core.Workers;

/// <summary>The last heartbeat of a worker process.</summary>
public sealed class WorkerRecord
{
    public string Id { get; set; } = "";
    public string Host { get; set; } = "";
    public string Device { get; set; } = "";
    public List<string> Models { get; set; } = [];

    /// <summary>What the worker advertised for each of its models (identity, limits, defaults): the catalog's source.</summary>
    public List<ModelAdvertisement> Catalog { get; set; } = [];

    /// <summary>The worker's labels: its device class and the operator's own; jobs and models may require some.</summary>
    public List<string> Labels { get; set; } = [];

    public string? DeviceClass { get; set; }
    public long? DeviceMemoryBytes { get; set; }
    public int BatchSize { get; set; }
    public long ImagesRendered { get; set; }

    /// <summary>The worker's recent engine time per image, as it last reported; null before its first batch.</summary>
    public double? EngineMillisecondsPerImage { get; set; }

    /// <summary>Batches the worker's engine runs at once: its throughput is this many images per <see cref="EngineMillisecondsPerImage"/>.</summary>
    public int EngineSlots { get; set; } = 1;

    /// <summary>One of <see cref="WorkerStates"/>, as the worker last reported (or as an operator's drain set it meanwhile).</summary>
    public string State { get; set; } = WorkerStates.Active;

    /// <summary>Why the worker is not active; null while it is.</summary>
    public string? StateReason { get; set; }

    /// <summary>The images the worker held at <see cref="HoldingReportedAt"/>.</summary>
    public List<Guid> Holding { get; set; } = [];

    /// <summary>The most messages the worker takes (its prefetch); 0 when it does not report what it holds.</summary>
    public int HoldingCapacity { get; set; }

    /// <summary>When the worker said what it holds: its last heartbeat (an operator's drain moves <see cref="LastSeen"/>, not this).</summary>
    public DateTimeOffset? HoldingReportedAt { get; set; }

    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset LastSeen { get; set; }
}

namespace RenderFarm.Bench.Farm;

/// <summary>One throughput run's measurements.</summary>
/// <param name="Seconds">First job created → last job finished, by the database's clock.</param>
/// <param name="Cpu">CPU used by each part of the farm between submitting the first job and seeing the last finish.</param>
/// <param name="Usage">What the workers' engines did; null if a worker wrote no report.</param>
/// <param name="Latencies">Null if the timestamps could not be read.</param>
/// <param name="BatchSize">The workers' batch size, which sets what one engine can do alone.</param>
/// <param name="StartUp">The fresh farm's start, before any of the figures above.</param>
/// <param name="WarmUpImages">The warm-up job's images.</param>
public sealed record ThroughputSample(
    EngineSpec Engine, int Workers, int Images, double Seconds, CpuReading Cpu, EngineUsage? Usage, StageLatencies? Latencies, int BatchSize,
    FarmStartUp StartUp, int WarmUpImages)
{
    public double ImagesPerSecond => Images / Seconds;

    /// <summary>Measured images/s ÷ (workers × images/s one engine does alone at full batches); null for the zero engine.</summary>
    public double? Efficiency => Engine.ImagesPerSecond(BatchSize) is { } alone ? ImagesPerSecond / (Workers * alone) : null;

    /// <summary>Time inside the engines ÷ (workers × run time).</summary>
    public double? EngineBusy => Usage is null ? null : Usage.BusyMilliseconds / (Workers * Seconds * 1000);

    /// <summary>
    /// The engines' time inside their calls ÷ what those calls take on paper: over 1 where a fake engine's timer wakes
    /// late on a loaded machine, which caps efficiency at <see cref="EngineBusy"/> ÷ this, whatever the farm does.
    /// </summary>
    public double? EngineOverrun => Usage is not null && Engine.NominalMilliseconds(Usage) is > 0 and var nominal ? Usage.BusyMilliseconds / nominal : null;

    public double? MeanBatch => Usage?.MeanBatchSize;

    public double MillisecondsPerImage(Func<CpuReading, TimeSpan> part)
    {
        ArgumentNullException.ThrowIfNull(part);
        return part(Cpu).TotalMilliseconds / Images;
    }
}

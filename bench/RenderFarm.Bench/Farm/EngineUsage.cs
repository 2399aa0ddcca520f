namespace RenderFarm.Bench.Farm;

/// <summary>What an engine did: time spent inside it (busy), calls (batches) and images. Workers write it as JSON on shutdown.</summary>
public sealed record EngineUsage(double BusyMilliseconds, long Batches, long Images)
{
    public static EngineUsage None { get; } = new(0, 0, 0);

    public double MeanBatchSize => Batches == 0 ? 0 : (double)Images / Batches;

    public EngineUsage Plus(EngineUsage other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(BusyMilliseconds + other.BusyMilliseconds, Batches + other.Batches, Images + other.Images);
    }

    public EngineUsage Minus(EngineUsage earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return new(BusyMilliseconds - earlier.BusyMilliseconds, Batches - earlier.Batches, Images - earlier.Images);
    }
}

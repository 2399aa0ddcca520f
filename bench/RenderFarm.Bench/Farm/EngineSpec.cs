using System.Globalization;

namespace RenderFarm.Bench.Farm;

/// <summary>
/// A fake engine's latency: <c>zero</c> (returns at once), <c>per-image:MS</c> (MS × batch size per call, like a GPU
/// whose batches do not overlap), <c>per-batch:MS</c> (MS per call whatever its size, like a GPU with spare width) or
/// <c>fail</c> (every call throws, like a broken GPU or a model that cannot run there).
/// </summary>
public sealed record EngineSpec(EngineLatency Latency, int Milliseconds)
{
    public static EngineSpec Zero { get; } = new(EngineLatency.Zero, 0);

    public static EngineSpec Failing { get; } = new(EngineLatency.Fails, 0);

    public static EngineSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text)
        {
            case "zero":
                return Zero;
            case "fail":
                return Failing;
        }

        var parts = text.Split(':');
        if (parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds > 0)
        {
            switch (parts[0])
            {
                case "per-image":
                    return new(EngineLatency.PerImage, milliseconds);
                case "per-batch":
                    return new(EngineLatency.PerBatch, milliseconds);
            }
        }

        throw new FormatException($"Engine '{text}': expected zero, per-image:MS, per-batch:MS or fail.");
    }

    /// <summary>How long one call with <paramref name="images"/> images takes.</summary>
    public TimeSpan TimeFor(int images) => Latency switch
    {
        EngineLatency.PerImage => TimeSpan.FromMilliseconds(Milliseconds * images),
        EngineLatency.PerBatch => TimeSpan.FromMilliseconds(Milliseconds),
        _ => TimeSpan.Zero,
    };

    /// <summary>What <paramref name="usage"/>'s calls take on paper; null for the zero and the failing engine.</summary>
    public double? NominalMilliseconds(EngineUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return Latency switch
        {
            EngineLatency.PerImage => (double)Milliseconds * usage.Images,
            EngineLatency.PerBatch => (double)Milliseconds * usage.Batches,
            _ => null,
        };
    }

    /// <summary>What one engine fed full batches of <paramref name="batchSize"/> does alone; null for the zero engine, which has no limit, and for the failing one.</summary>
    public double? ImagesPerSecond(int batchSize) =>
        Latency is EngineLatency.Zero or EngineLatency.Fails ? null : batchSize / TimeFor(batchSize).TotalSeconds;

    public override string ToString() => Latency switch
    {
        EngineLatency.PerImage => $"per-image:{Milliseconds}",
        EngineLatency.PerBatch => $"per-batch:{Milliseconds}",
        EngineLatency.Fails => "fail",
        _ => "zero",
    };
}

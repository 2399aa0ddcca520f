namespace RenderFarm.Bench.Farm;

/// <summary>p50, p95 and p99 of a set of durations in milliseconds.</summary>
public sealed record Percentiles(double? P50, double? P95, double? P99)
{
    public static Percentiles Of(IEnumerable<double> milliseconds)
    {
        var values = milliseconds.ToList();
        return new(Stats.Percentile(values, 50), Stats.Percentile(values, 95), Stats.Percentile(values, 99));
    }

    /// <summary>Each percentile's median over runs.</summary>
    public static Percentiles Median(IEnumerable<Percentiles> runs)
    {
        var list = runs.ToList();
        return new(Stats.Median(list.Select(r => r.P50)), Stats.Median(list.Select(r => r.P95)), Stats.Median(list.Select(r => r.P99)));
    }
}

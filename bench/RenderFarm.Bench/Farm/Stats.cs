namespace RenderFarm.Bench.Farm;

public static class Stats
{
    /// <summary>The middle value (the upper one of an even count); null when there is none. Medians keep one descheduled run on a shared machine from skewing a figure.</summary>
    public static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.OfType<double>().Order().ToList();
        return sorted.Count == 0 ? null : sorted[sorted.Count / 2];
    }

    /// <summary>Nearest-rank percentile (<paramref name="percent"/> in 0–100); null for no values.</summary>
    public static double? Percentile(IEnumerable<double> values, double percent)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

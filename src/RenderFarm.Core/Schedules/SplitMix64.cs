namespace RenderFarm.Core.Schedules;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014). Picks must repeat across processes and .NET versions for years, which
/// <see cref="Random"/> does not promise, so the generator is spelled out here.
/// </summary>
public static class SplitMix64
{
    public static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>An index in [0, <paramref name="count"/>).</summary>
    public static int NextIndex(ref ulong state, int count) => (int)(Next(ref state) % (ulong)count);
}

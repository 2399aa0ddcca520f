namespace RenderFarm.Core.Jobs;

/// <summary>
/// Seeds are unsigned 32-bit values (what SD front ends show and accept). Image i of a job gets job seed + i,
/// wrapping at 2^32, the convention of the common front ends: re-rendering image i alone with that seed gives the same image.
/// </summary>
public static class Seeds
{
    public const long Max = uint.MaxValue;

    public static long ForImage(long jobSeed, int index) => (long)unchecked((uint)(jobSeed + index));

    public static long Random() => System.Random.Shared.NextInt64(0, Max + 1);
}

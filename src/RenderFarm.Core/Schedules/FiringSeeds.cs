using System.Buffers.Binary;
using System.Security.Cryptography;

namespace RenderFarm.Core.Schedules;

/// <summary>
/// Seeds of schedule firings. A firing is identified by its schedule and its scheduled time, so hashing the two gives
/// the same seed however often, wherever and whenever that firing is expanded.
/// </summary>
public static class FiringSeeds
{
    public static ulong For(Guid scheduleId, DateTimeOffset scheduledFor)
    {
        Span<byte> input = stackalloc byte[24];
        scheduleId.TryWriteBytes(input[..16]);
        // Milliseconds, the precision every store keeps (Quartz, PostgreSQL), so a fire time read back hashes the same.
        BinaryPrimitives.WriteInt64LittleEndian(input[16..], scheduledFor.ToUnixTimeMilliseconds());
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    /// <summary>The seed of one expansion (template <paramref name="template"/>, variation <paramref name="variation"/>) of a firing.</summary>
    public static ulong ForExpansion(ulong firingSeed, int template, int variation)
    {
        var state = firingSeed ^ ((ulong)(uint)template << 32) ^ (uint)variation;
        return SplitMix64.Next(ref state);
    }

    /// <summary>A job seed (unsigned 32-bit, see <see cref="Jobs.Seeds"/>) for a firing whose job template leaves it open.</summary>
    public static long JobSeed(ulong firingSeed) => (long)(uint)(firingSeed >> 32);
}

using System.Buffers.Binary;
using System.Text;

namespace RenderFarm.Infrastructure.Imaging;

/// <summary>Splits a WebP RIFF container into its top-level chunks.</summary>
internal static class WebpChunks
{
    /// <summary>Where one chunk's data lies in the file.</summary>
    public readonly record struct Chunk(string FourCc, int Offset, int Length);

    public static bool IsWebp(ReadOnlySpan<byte> file) =>
        file.Length >= 12 && file.StartsWith("RIFF"u8) && file.Slice(8, 4).SequenceEqual("WEBP"u8);

    /// <returns>The chunks, or null when the file is not WebP or a chunk runs past the end.</returns>
    public static List<Chunk>? Parse(ReadOnlySpan<byte> file)
    {
        if (!IsWebp(file))
        {
            return null;
        }

        // Trailing bytes after the RIFF payload are not part of the image; a RIFF size past the end is damage.
        var riffEnd = 8L + BinaryPrimitives.ReadUInt32LittleEndian(file[4..]);
        if (riffEnd > file.Length)
        {
            return null;
        }

        var chunks = new List<Chunk>();
        var position = 12L;
        while (position + 8 <= riffEnd)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(file[(int)(position + 4)..]);
            var dataStart = position + 8;
            if (dataStart + length > riffEnd)
            {
                return null;
            }

            chunks.Add(new Chunk(Encoding.ASCII.GetString(file.Slice((int)position, 4)), (int)dataStart, (int)length));
            position = dataStart + length + (length & 1);
        }

        return chunks;
    }
}

using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace RenderFarm.Infrastructure.Imaging;

/// <summary>Adds a keyword/text pair to a PNG file as its own chunk, placed right after IHDR.</summary>
public static class PngTextChunkWriter
{
    internal static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    // Length, type and CRC around each chunk's data.
    internal const int ChunkOverhead = 12;

    /// <summary>
    /// Writes <c>tEXt</c> when <paramref name="text"/> is Latin-1, else an uncompressed UTF-8 <c>iTXt</c>,
    /// the same choice Pillow's <c>PngInfo.add_text</c> makes for AUTOMATIC1111.
    /// </summary>
    public static byte[] Insert(ReadOnlySpan<byte> png, string keyword, string text)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        ArgumentNullException.ThrowIfNull(text);
        ValidateKeyword(keyword);
        var insertAt = EndOfHeader(png);

        var latin1 = IsLatin1(text);
        var textBytes = latin1 ? Encoding.Latin1.GetByteCount(text) : Encoding.UTF8.GetByteCount(text);

        // iTXt adds compression flag, compression method, and the empty language tag and translated keyword.
        var dataLength = keyword.Length + 1 + (latin1 ? 0 : 4) + textBytes;
        var result = new byte[png.Length + ChunkOverhead + dataLength];
        png[..insertAt].CopyTo(result);

        var chunk = result.AsSpan(insertAt, ChunkOverhead + dataLength);
        BinaryPrimitives.WriteInt32BigEndian(chunk, dataLength);
        Encoding.ASCII.GetBytes(latin1 ? "tEXt" : "iTXt", chunk[4..8]);
        var data = chunk.Slice(8, dataLength);
        var written = Encoding.Latin1.GetBytes(keyword, data);
        data[written++] = 0;
        if (latin1)
        {
            Encoding.Latin1.GetBytes(text, data[written..]);
        }
        else
        {
            // Compression flag, method, language tag terminator, translated keyword terminator: all zero.
            data.Slice(written, 4).Clear();
            Encoding.UTF8.GetBytes(text, data[(written + 4)..]);
        }

        // The PNG CRC covers the chunk type and data, not the length.
        BinaryPrimitives.WriteUInt32BigEndian(chunk[^4..], Crc32.HashToUInt32(chunk[4..^4]));

        png[insertAt..].CopyTo(result.AsSpan(insertAt + chunk.Length));
        return result;
    }

    private static int EndOfHeader(ReadOnlySpan<byte> png)
    {
        if (!png.StartsWith(Signature) || png.Length < Signature.Length + ChunkOverhead
            || !png.Slice(Signature.Length + 4, 4).SequenceEqual("IHDR"u8))
        {
            throw new ArgumentException("Not a PNG file starting with an IHDR chunk.", nameof(png));
        }

        var headerLength = BinaryPrimitives.ReadUInt32BigEndian(png[Signature.Length..]);
        var end = Signature.Length + ChunkOverhead + (long)headerLength;
        if (end > png.Length)
        {
            throw new ArgumentException("The PNG IHDR chunk is truncated.", nameof(png));
        }

        return (int)end;
    }

    private static void ValidateKeyword(string keyword)
    {
        // PNG keywords: 1-79 printable Latin-1 characters, no leading, trailing or doubled spaces.
        if (keyword.Length is < 1 or > 79 || keyword[0] == ' ' || keyword[^1] == ' ' || keyword.Contains("  ", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{keyword}' is not a valid PNG keyword.", nameof(keyword));
        }

        foreach (var c in keyword)
        {
            if (c is < ' ' or (> '~' and < '\u00A1') or > '\u00FF')
            {
                throw new ArgumentException($"'{keyword}' is not a valid PNG keyword.", nameof(keyword));
            }
        }
    }

    private static bool IsLatin1(string text) => text.AsSpan().IndexOfAnyExceptInRange('\0', '\u00FF') < 0;
}

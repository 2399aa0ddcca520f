using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace RenderFarm.Infrastructure.Imaging;

/// <summary>Finds a keyword's text in a PNG file's <c>tEXt</c>, <c>zTXt</c> or <c>iTXt</c> chunks.</summary>
public static class PngTextChunkReader
{
    // Compressed text is inflated only up to this size: the gallery reads files it did not necessarily write.
    private const int MaxInflatedLength = 16 * 1024 * 1024;

    public static bool IsPng(ReadOnlySpan<byte> file) => file.StartsWith(PngTextChunkWriter.Signature);

    /// <returns>The first text stored under <paramref name="keyword"/>, or null when there is none or the file is damaged before it.</returns>
    public static string? Read(ReadOnlySpan<byte> png, string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        if (!IsPng(png))
        {
            return null;
        }

        var position = (long)PngTextChunkWriter.Signature.Length;
        while (position + PngTextChunkWriter.ChunkOverhead <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[(int)position..]);
            var type = png.Slice((int)position + 4, 4);
            var dataStart = position + 8;
            if (dataStart + length + 4 > png.Length)
            {
                return null;
            }

            var data = png.Slice((int)dataStart, (int)length);
            if (type.SequenceEqual("IEND"u8))
            {
                return null;
            }

            var text = type.SequenceEqual("tEXt"u8) ? ReadText(data, keyword)
                : type.SequenceEqual("zTXt"u8) ? ReadCompressedText(data, keyword)
                : type.SequenceEqual("iTXt"u8) ? ReadInternationalText(data, keyword)
                : null;
            if (text is not null)
            {
                return text;
            }

            position = dataStart + length + 4;
        }

        return null;
    }

    private static string? ReadText(ReadOnlySpan<byte> data, string keyword) =>
        TrySplitKeyword(data, keyword, out var rest) ? Encoding.Latin1.GetString(rest) : null;

    private static string? ReadCompressedText(ReadOnlySpan<byte> data, string keyword)
    {
        // Compression method byte (0 = zlib is the only one defined), then the compressed Latin-1 text.
        if (!TrySplitKeyword(data, keyword, out var rest) || rest.Length < 1 || rest[0] != 0)
        {
            return null;
        }

        var inflated = Inflate(rest[1..]);
        return inflated is null ? null : Encoding.Latin1.GetString(inflated);
    }

    private static string? ReadInternationalText(ReadOnlySpan<byte> data, string keyword)
    {
        // Compression flag, compression method, language tag\0, translated keyword\0, UTF-8 text.
        if (!TrySplitKeyword(data, keyword, out var rest) || rest.Length < 2)
        {
            return null;
        }

        var compressed = rest[0] == 1;
        var method = rest[1];
        rest = rest[2..];
        for (var skip = 0; skip < 2; skip++)
        {
            var end = rest.IndexOf((byte)0);
            if (end < 0)
            {
                return null;
            }

            rest = rest[(end + 1)..];
        }

        if (!compressed)
        {
            return Encoding.UTF8.GetString(rest);
        }

        if (method != 0)
        {
            return null;
        }

        var inflated = Inflate(rest);
        return inflated is null ? null : Encoding.UTF8.GetString(inflated);
    }

    private static bool TrySplitKeyword(ReadOnlySpan<byte> data, string keyword, out ReadOnlySpan<byte> rest)
    {
        var end = data.IndexOf((byte)0);
        if (end < 0 || end != keyword.Length || Encoding.Latin1.GetString(data[..end]) != keyword)
        {
            rest = default;
            return false;
        }

        rest = data[(end + 1)..];
        return true;
    }

    private static byte[]? Inflate(ReadOnlySpan<byte> compressed)
    {
        try
        {
            using var input = new MemoryStream(compressed.ToArray(), writable: false);
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = zlib.Read(buffer)) > 0)
            {
                if (output.Length + read > MaxInflatedLength)
                {
                    return null;
                }

                output.Write(buffer, 0, read);
            }

            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }
}

using System.Buffers.Binary;

namespace RenderFarm.Infrastructure.Imaging;

/// <summary>
/// Adds an <c>EXIF</c> chunk to a WebP file. Metadata chunks are only allowed in the extended format, so a simple
/// file (a lone <c>VP8 </c> or <c>VP8L</c> chunk, which is what Skia writes for opaque images) gets a <c>VP8X</c>
/// header in front, with the canvas size taken from the bitstream.
/// </summary>
public static class WebpExifWriter
{
    private const int RiffHeaderLength = 12;
    private const int ChunkHeaderLength = 8;
    private const int Vp8xDataLength = 10;

    private const byte AlphaFlag = 0x10;
    private const byte ExifFlag = 0x08;
    private const byte XmpFlag = 0x04;

    /// <summary>Returns the file with <paramref name="tiff"/> (raw TIFF data, as the WebP container spec asks) as its EXIF chunk.</summary>
    public static byte[] Insert(ReadOnlySpan<byte> webp, ReadOnlySpan<byte> tiff)
    {
        var chunks = WebpChunks.Parse(webp) ?? throw new ArgumentException("Not a well-formed WebP file.", nameof(webp));
        if (chunks.Count == 0)
        {
            throw new ArgumentException("The WebP file has no chunks.", nameof(webp));
        }

        var first = chunks[0];
        Span<byte> vp8x = stackalloc byte[Vp8xDataLength];
        int keepFrom;
        switch (first.FourCc)
        {
            case "VP8X":
                if (first.Length < Vp8xDataLength)
                {
                    throw new ArgumentException("The WebP VP8X chunk is truncated.", nameof(webp));
                }

                webp.Slice(first.Offset, Vp8xDataLength).CopyTo(vp8x);
                vp8x[0] |= ExifFlag;
                keepFrom = 1;
                break;
            case "VP8 " or "VP8L":
                var (width, height, alpha) = ReadBitstreamHeader(first.FourCc, webp.Slice(first.Offset, first.Length));
                vp8x[0] = (byte)(ExifFlag | (alpha ? AlphaFlag : 0));
                WriteUInt24LittleEndian(vp8x[4..], width - 1);
                WriteUInt24LittleEndian(vp8x[7..], height - 1);
                keepFrom = 0;
                break;
            default:
                throw new ArgumentException($"A WebP file cannot start with a '{first.FourCc}' chunk.", nameof(webp));
        }

        // Chunk order of the extended format: VP8X, image chunks, EXIF, XMP. An EXIF chunk already there is replaced.
        var size = RiffHeaderLength + PaddedChunkLength(Vp8xDataLength) + PaddedChunkLength(tiff.Length);
        for (var i = keepFrom; i < chunks.Count; i++)
        {
            if (chunks[i].FourCc != "EXIF")
            {
                size += PaddedChunkLength(chunks[i].Length);
            }
        }

        var result = new byte[size];
        var span = result.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(size - 8));
        "WEBP"u8.CopyTo(span[8..]);
        var position = RiffHeaderLength;
        position += WriteChunk(span[position..], "VP8X"u8, vp8x);

        var exifWritten = false;
        for (var i = keepFrom; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            if (chunk.FourCc == "EXIF")
            {
                continue;
            }

            if (chunk.FourCc == "XMP " && !exifWritten)
            {
                position += WriteChunk(span[position..], "EXIF"u8, tiff);
                exifWritten = true;
            }

            position += WriteChunk(span[position..], webp.Slice(chunk.Offset - ChunkHeaderLength, 4), webp.Slice(chunk.Offset, chunk.Length));
        }

        if (!exifWritten)
        {
            WriteChunk(span[position..], "EXIF"u8, tiff);
        }

        return result;
    }

    private static (int Width, int Height, bool Alpha) ReadBitstreamHeader(string fourCc, ReadOnlySpan<byte> data)
    {
        if (fourCc == "VP8 ")
        {
            // 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height (the top 2 bits are scaling).
            if (data.Length < 10 || data[3] != 0x9D || data[4] != 0x01 || data[5] != 0x2A)
            {
                throw new ArgumentException("The WebP VP8 bitstream has no key frame header.", nameof(data));
            }

            return (BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(data[8..]) & 0x3FFF, false);
        }

        // Signature 0x2F, then width-1 and height-1 in 14 bits each and the alpha-is-used bit.
        if (data.Length < 5 || data[0] != 0x2F)
        {
            throw new ArgumentException("The WebP VP8L bitstream has no signature.", nameof(data));
        }

        var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[1..]);
        return ((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1, ((bits >> 28) & 1) != 0);
    }

    private static int PaddedChunkLength(int dataLength) => ChunkHeaderLength + dataLength + (dataLength & 1);

    private static int WriteChunk(Span<byte> destination, ReadOnlySpan<byte> fourCc, ReadOnlySpan<byte> data)
    {
        fourCc.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)data.Length);
        data.CopyTo(destination[ChunkHeaderLength..]);

        // Odd-sized chunks get one zero pad byte; the result array is zeroed already.
        return PaddedChunkLength(data.Length);
    }

    private static void WriteUInt24LittleEndian(Span<byte> destination, int value)
    {
        destination[0] = (byte)value;
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)(value >> 16);
    }
}

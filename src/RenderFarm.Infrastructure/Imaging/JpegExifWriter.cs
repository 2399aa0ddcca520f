using System.Buffers.Binary;

namespace RenderFarm.Infrastructure.Imaging;

/// <summary>Puts an EXIF APP1 segment into a JPEG file, right after SOI where the Exif specification wants it.</summary>
public static class JpegExifWriter
{
    // Marker (2) + length (2) + "Exif\0\0" (6) before the TIFF data.
    private const int App1Overhead = 10;

    /// <summary>The largest TIFF block one APP1 segment can carry: its 16-bit length counts itself and the Exif header.</summary>
    public const int MaxExifLength = ushort.MaxValue - 2 - 6;

    public static byte[] Insert(ReadOnlySpan<byte> jpeg, ReadOnlySpan<byte> tiff)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new ArgumentException("Not a JPEG file (no SOI marker).", nameof(jpeg));
        }

        if (tiff.Length > MaxExifLength)
        {
            throw new ArgumentException($"EXIF data of {tiff.Length} bytes exceeds the {MaxExifLength} bytes a JPEG APP1 segment holds.", nameof(tiff));
        }

        var result = new byte[jpeg.Length + App1Overhead + tiff.Length];
        var span = result.AsSpan();
        jpeg[..2].CopyTo(span);
        span[2] = 0xFF;
        span[3] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)(2 + ExifTags.ExifHeader.Length + tiff.Length));
        ExifTags.ExifHeader.CopyTo(span[6..]);
        tiff.CopyTo(span[(2 + App1Overhead)..]);
        jpeg[2..].CopyTo(span[(2 + App1Overhead + tiff.Length)..]);
        return result;
    }
}

using System.Buffers.Binary;

namespace RenderFarm.Infrastructure.Imaging;

/// <summary>Finds the EXIF APP1 segment among a JPEG file's header segments.</summary>
internal static class JpegExifReader
{
    public static bool IsJpeg(ReadOnlySpan<byte> file) => file.Length >= 2 && file[0] == 0xFF && file[1] == 0xD8;

    /// <returns>The TIFF data of the first EXIF segment, or empty when there is none before the scan data.</returns>
    public static ReadOnlySpan<byte> FindExif(ReadOnlySpan<byte> jpeg)
    {
        if (!IsJpeg(jpeg))
        {
            return default;
        }

        var position = 2;
        while (position + 4 <= jpeg.Length && jpeg[position] == 0xFF)
        {
            var marker = jpeg[position + 1];
            if (marker == 0xFF)
            {
                // Fill byte before a marker.
                position++;
                continue;
            }

            // Metadata segments come before the first scan; EOI ends the image.
            if (marker is 0xDA or 0xD9)
            {
                break;
            }

            // Standalone markers (TEM, RSTn) carry no length.
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                position += 2;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(position + 2)..]);
            if (length < 2 || position + 2 + length > jpeg.Length)
            {
                break;
            }

            var payload = jpeg.Slice(position + 4, length - 2);
            if (marker == 0xE1 && payload.StartsWith(ExifTags.ExifHeader))
            {
                return payload[ExifTags.ExifHeader.Length..];
            }

            position += 2 + length;
        }

        return default;
    }
}

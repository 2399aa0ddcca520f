using System.Buffers.Binary;
using System.Text;

namespace RenderFarm.Infrastructure.Imaging;

/// <summary>Reads the UserComment out of EXIF (TIFF) data, tolerating what other writers produce.</summary>
public static class ExifUserCommentReader
{
    /// <param name="tiff">TIFF data starting with its "II" or "MM" byte-order mark; an <c>Exif\0\0</c> header in front is skipped.</param>
    /// <returns>The comment, or null when there is none or the data is damaged.</returns>
    public static string? Read(ReadOnlySpan<byte> tiff)
    {
        if (tiff.StartsWith(ExifTags.ExifHeader))
        {
            tiff = tiff[ExifTags.ExifHeader.Length..];
        }

        if (tiff.Length < 8)
        {
            return null;
        }

        bool bigEndian;
        if (tiff.StartsWith("MM"u8))
        {
            bigEndian = true;
        }
        else if (tiff.StartsWith("II"u8))
        {
            bigEndian = false;
        }
        else
        {
            return null;
        }

        var reader = new TiffReader(tiff, bigEndian);
        if (reader.UInt16(2) != ExifTags.TiffMagic)
        {
            return null;
        }

        var exifPointer = FindEntry(reader, reader.UInt32(4), ExifTags.ExifIfdPointer);
        if (exifPointer < 0 || reader.UInt16(exifPointer + 2) is not (ExifTags.TypeLong or ExifTags.TypeIfd))
        {
            return null;
        }

        var comment = FindEntry(reader, reader.UInt32(exifPointer + 8), ExifTags.UserComment);
        if (comment < 0)
        {
            return null;
        }

        // UNDEFINED bytes: four or fewer sit in the entry itself, more at an offset.
        var count = reader.UInt32(comment + 4);
        var valueOffset = count <= 4 ? comment + 8 : reader.UInt32(comment + 8);
        if (valueOffset + count > tiff.Length)
        {
            return null;
        }

        return Decode(tiff.Slice((int)valueOffset, (int)count), bigEndian);
    }

    /// <returns>The offset of the entry for <paramref name="tag"/> in the IFD at <paramref name="ifdOffset"/>, or -1.</returns>
    private static long FindEntry(TiffReader reader, long ifdOffset, ushort tag)
    {
        if (ifdOffset + 2 > reader.Length)
        {
            return -1;
        }

        var entries = reader.UInt16(ifdOffset);
        for (var i = 0; i < entries; i++)
        {
            var entry = ifdOffset + 2 + (i * (long)ExifTags.IfdEntrySize);
            if (entry + ExifTags.IfdEntrySize > reader.Length)
            {
                return -1;
            }

            if (reader.UInt16(entry) == tag)
            {
                return entry;
            }
        }

        return -1;
    }

    private static string? Decode(ReadOnlySpan<byte> value, bool tiffBigEndian)
    {
        string text;
        if (value.Length < ExifTags.CharsetPrefixLength)
        {
            text = Encoding.UTF8.GetString(value);
        }
        else
        {
            var prefix = value[..ExifTags.CharsetPrefixLength];
            var body = value[ExifTags.CharsetPrefixLength..];
            if (prefix.SequenceEqual(ExifTags.UnicodePrefix))
            {
                text = DecodeUtf16(body, tiffBigEndian);
            }
            else if (prefix.SequenceEqual(ExifTags.AsciiPrefix) || prefix.SequenceEqual(ExifTags.UndefinedPrefix))
            {
                text = Encoding.UTF8.GetString(body);
            }
            else if (prefix.StartsWith("JIS\0"u8))
            {
                // Shift-JIS needs code page data that invariant globalization leaves out.
                return null;
            }
            else
            {
                // No charset prefix at all: AUTOMATIC1111 falls back to UTF-8 as well.
                text = Encoding.UTF8.GetString(value);
            }
        }

        return text.TrimEnd('\0');
    }

    private static string DecodeUtf16(ReadOnlySpan<byte> body, bool tiffBigEndian)
    {
        if (body.StartsWith([(byte)0xFE, (byte)0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(body[2..]);
        }

        if (body.StartsWith([(byte)0xFF, (byte)0xFE]))
        {
            return Encoding.Unicode.GetString(body[2..]);
        }

        return (GuessBigEndian(body) ?? tiffBigEndian) ? Encoding.BigEndianUnicode.GetString(body) : Encoding.Unicode.GetString(body);
    }

    /// <summary>
    /// piexif writes UTF-16BE whatever the TIFF byte order, while exiftool and the Exif spec use the TIFF byte order.
    /// Parameters text is mostly ASCII ("Steps: 20, Sampler: ..."), so the byte order that decodes to more ASCII wins.
    /// </summary>
    private static bool? GuessBigEndian(ReadOnlySpan<byte> body)
    {
        int bigEndianAscii = 0, littleEndianAscii = 0;
        var sample = body[..Math.Min(body.Length & ~1, 1024)];
        for (var i = 0; i < sample.Length; i += 2)
        {
            bigEndianAscii += sample[i] == 0 && IsAsciiText(sample[i + 1]) ? 1 : 0;
            littleEndianAscii += sample[i + 1] == 0 && IsAsciiText(sample[i]) ? 1 : 0;
        }

        return bigEndianAscii == littleEndianAscii ? null : bigEndianAscii > littleEndianAscii;
    }

    private static bool IsAsciiText(byte value) => value is (>= 0x20 and < 0x7F) or (byte)'\n' or (byte)'\t';

    private readonly ref struct TiffReader(ReadOnlySpan<byte> data, bool bigEndian)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public int Length => _data.Length;

        // Out-of-range reads return 0, which every caller treats as "absent": offsets are untrusted.
        public ushort UInt16(long offset) =>
            offset < 0 || offset + 2 > _data.Length ? (ushort)0
            : bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(_data[(int)offset..]) : BinaryPrimitives.ReadUInt16LittleEndian(_data[(int)offset..]);

        public uint UInt32(long offset) =>
            offset < 0 || offset + 4 > _data.Length ? 0
            : bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(_data[(int)offset..]) : BinaryPrimitives.ReadUInt32LittleEndian(_data[(int)offset..]);
    }
}

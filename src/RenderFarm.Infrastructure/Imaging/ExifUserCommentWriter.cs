using System.Buffers.Binary;
using System.Text;

namespace RenderFarm.Infrastructure.Imaging;

/// <summary>
/// Builds a minimal EXIF (TIFF) block: IFD0 points to an Exif IFD holding ExifVersion and a UserComment.
/// </summary>
/// <remarks>
/// The comment is the <c>UNICODE\0</c> charset prefix plus UTF-16 big-endian text in a big-endian ("MM") TIFF.
/// AUTOMATIC1111 writes and reads it with <c>piexif.helper.UserComment</c>, which always uses UTF-16BE whatever
/// the TIFF byte order; readers that follow the TIFF byte order instead (exiftool, Exif spec) agree because the
/// TIFF is big-endian too.
/// </remarks>
public static class ExifUserCommentWriter
{
    // Header (8) + IFD0 with one entry (2 + 12 + 4) + Exif IFD with two entries (2 + 24 + 4).
    private const int Ifd0Offset = 8;
    private const int ExifIfdOffset = Ifd0Offset + 2 + ExifTags.IfdEntrySize + 4;
    private const int CommentOffset = ExifIfdOffset + 2 + (2 * ExifTags.IfdEntrySize) + 4;

    /// <summary>The TIFF block (no <c>Exif\0\0</c> header) for <paramref name="comment"/>.</summary>
    /// <param name="maxLength">
    /// Upper bound on the block's size; the comment is cut (never inside a surrogate pair) to fit. JPEG needs this:
    /// an APP1 segment holds at most 64 KiB, and losing the tail of an overlong prompt beats losing the image.
    /// </param>
    public static byte[] Build(string comment, int maxLength = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(comment);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, CommentOffset + ExifTags.CharsetPrefixLength);

        var chars = Math.Min(comment.Length, (maxLength - CommentOffset - ExifTags.CharsetPrefixLength) / 2);
        if (chars > 0 && chars < comment.Length && char.IsHighSurrogate(comment[chars - 1]))
        {
            chars--;
        }

        var commentLength = ExifTags.CharsetPrefixLength + (chars * 2);
        var tiff = new byte[CommentOffset + commentLength];
        var span = tiff.AsSpan();

        "MM"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], ExifTags.TiffMagic);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], Ifd0Offset);

        BinaryPrimitives.WriteUInt16BigEndian(span[Ifd0Offset..], 1);
        WriteEntry(span[(Ifd0Offset + 2)..], ExifTags.ExifIfdPointer, ExifTags.TypeLong, 1, ExifIfdOffset);

        // Entries sorted by tag, as TIFF requires. ExifVersion is mandatory in the Exif IFD; "0232" fits inline.
        BinaryPrimitives.WriteUInt16BigEndian(span[ExifIfdOffset..], 2);
        var entries = span[(ExifIfdOffset + 2)..];
        WriteEntry(entries, ExifTags.ExifVersion, ExifTags.TypeUndefined, 4, BinaryPrimitives.ReadUInt32BigEndian("0232"u8));
        WriteEntry(entries[ExifTags.IfdEntrySize..], ExifTags.UserComment, ExifTags.TypeUndefined, (uint)commentLength, CommentOffset);

        ExifTags.UnicodePrefix.CopyTo(span[CommentOffset..]);
        Encoding.BigEndianUnicode.GetBytes(comment.AsSpan(0, chars), span[(CommentOffset + ExifTags.CharsetPrefixLength)..]);
        return tiff;
    }

    // The next-IFD offsets after each IFD stay zero: there is no IFD1 (thumbnail).
    private static void WriteEntry(Span<byte> entry, ushort tag, ushort type, uint count, uint value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(entry, tag);
        BinaryPrimitives.WriteUInt16BigEndian(entry[2..], type);
        BinaryPrimitives.WriteUInt32BigEndian(entry[4..], count);
        BinaryPrimitives.WriteUInt32BigEndian(entry[8..], value);
    }
}

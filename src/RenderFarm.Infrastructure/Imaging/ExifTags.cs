namespace RenderFarm.Infrastructure.Imaging;

/// <summary>The few TIFF/EXIF numbers the parameters metadata needs.</summary>
internal static class ExifTags
{
    public const ushort TiffMagic = 42;
    public const ushort ExifIfdPointer = 0x8769;
    public const ushort ExifVersion = 0x9000;
    public const ushort UserComment = 0x9286;

    public const ushort TypeLong = 4;
    public const ushort TypeUndefined = 7;
    public const ushort TypeIfd = 13;

    public const int IfdEntrySize = 12;

    /// <summary>What precedes the TIFF data in a JPEG APP1 segment (and, written by some tools, in a WebP EXIF chunk).</summary>
    public static ReadOnlySpan<byte> ExifHeader => "Exif\0\0"u8;

    public const int CharsetPrefixLength = 8;
    public static ReadOnlySpan<byte> UnicodePrefix => "UNICODE\0"u8;
    public static ReadOnlySpan<byte> AsciiPrefix => "ASCII\0\0\0"u8;
    public static ReadOnlySpan<byte> UndefinedPrefix => "\0\0\0\0\0\0\0\0"u8;
}

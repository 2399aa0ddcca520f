using System.Buffers.Binary;
using System.Text;
using RenderFarm.Core.Imaging;
using RenderFarm.Infrastructure.Imaging;

namespace RenderFarm.UnitTests.Imaging;

public sealed class JpegExifTests
{
    [Fact]
    public void Exif_segment_follows_SOI_and_holds_a_big_endian_tiff()
    {
        var jpeg = ImageTestData.Encoder().Encode(ImageTestData.Gradient(), ImageFormat.Jpeg, ImageTestData.Parameters("p"));

        Assert.Equal([0xFF, 0xD8, 0xFF, 0xE1], jpeg[..4]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(4));
        Assert.Equal("Exif\0\0MM\0*"u8.ToArray(), jpeg[6..16]);

        // The next segment starts right after the declared length: Skia's JFIF APP0 comes next.
        Assert.Equal([0xFF, 0xE0], jpeg[(4 + length)..(6 + length)]);
    }

    [Fact]
    public void User_comment_is_UNICODE_prefixed_utf16_big_endian_as_piexif_reads_it()
    {
        var parameters = ImageTestData.Parameters("灯台 at dawn ✨");

        var jpeg = ImageTestData.Encoder().Encode(ImageTestData.Gradient(), ImageFormat.Jpeg, parameters);

        var prefix = jpeg.AsSpan().IndexOf("UNICODE\0"u8);
        Assert.True(prefix > 0);
        var expected = Encoding.BigEndianUnicode.GetBytes(parameters.ToText());
        Assert.Equal(expected, jpeg.AsSpan(prefix + 8, expected.Length).ToArray());
    }

    [Fact]
    public void Overlong_text_is_cut_to_fit_one_APP1_segment_and_the_image_still_decodes()
    {
        var image = ImageTestData.Gradient();
        var parameters = ImageTestData.Parameters(string.Concat(Enumerable.Repeat("灯台✨ ", 10_000)));

        var jpeg = ImageTestData.Encoder().Encode(image, ImageFormat.Jpeg, parameters);

        var text = ImageMetadataReader.ReadParameters(jpeg);
        Assert.NotNull(text);
        Assert.True(text.Length > 30_000);
        Assert.StartsWith(text, parameters.ToText(), StringComparison.Ordinal);
        Assert.InRange(ImageTestData.Difference(image, jpeg).Mean, 0, 2.0);
    }

    [Fact]
    public void Cut_never_splits_a_surrogate_pair()
    {
        // 😀 is a surrogate pair; the size leaves room for an odd number of UTF-16 units after the prefix.
        var room = JpegExifWriter.MaxExifLength;
        var tiff = ExifUserCommentWriter.Build(string.Concat(Enumerable.Repeat("😀", 40_000)), room);

        var text = ExifUserCommentReader.Read(tiff);

        Assert.NotNull(text);
        Assert.True(tiff.Length <= room);
        Assert.Equal(0, text.Length % 2);
        Assert.All(text.Chunk(2), pair => Assert.True(char.IsSurrogatePair(pair[0], pair[1])));
    }

    [Fact]
    public void Reader_follows_the_tiff_byte_order_for_little_endian_exif_without_a_hint()
    {
        // A little-endian TIFF whose comment is in the TIFF byte order, as exiftool would write it.
        var text = "灯台✨";
        var comment = (byte[])[.. "UNICODE\0"u8, .. Encoding.Unicode.GetBytes(text)];
        var tiff = new byte[8 + 18 + 18 + comment.Length];
        "II*\0"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), 8);
        WriteIfd(tiff.AsSpan(8), 0x8769, 4, 1, 26);
        WriteIfd(tiff.AsSpan(26), 0x9286, 7, (uint)comment.Length, 44);
        comment.CopyTo(tiff, 44);

        Assert.Equal(text, ExifUserCommentReader.Read(tiff));
    }

    [Theory]
    [InlineData("ASCII\0\0\0")]
    [InlineData("\0\0\0\0\0\0\0\0")]
    public void Reader_decodes_ascii_and_undefined_comments(string prefix)
    {
        var tiff = ExifUserCommentWriter.Build("abc, def");
        var offset = tiff.AsSpan().IndexOf("UNICODE\0"u8);
        var body = (byte[])[.. Encoding.ASCII.GetBytes(prefix), .. "abc, def"u8];
        byte[] patched = [.. tiff[..offset], .. body];
        // The UserComment entry (tag, type, count, offset) is the last before the next-IFD pointer and the value.
        BinaryPrimitives.WriteUInt32BigEndian(patched.AsSpan(offset - 12), (uint)body.Length);

        Assert.Equal("abc, def", ExifUserCommentReader.Read(patched));
    }

    private static void WriteIfd(Span<byte> ifd, ushort tag, ushort type, uint count, uint value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(ifd, 1);
        BinaryPrimitives.WriteUInt16LittleEndian(ifd[2..], tag);
        BinaryPrimitives.WriteUInt16LittleEndian(ifd[4..], type);
        BinaryPrimitives.WriteUInt32LittleEndian(ifd[6..], count);
        BinaryPrimitives.WriteUInt32LittleEndian(ifd[10..], value);
        BinaryPrimitives.WriteUInt32LittleEndian(ifd[14..], 0);
    }
}

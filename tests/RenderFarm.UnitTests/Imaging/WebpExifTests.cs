using System.Buffers.Binary;
using System.Text;
using RenderFarm.Core.Imaging;
using RenderFarm.Infrastructure.Imaging;
using SkiaSharp;

namespace RenderFarm.UnitTests.Imaging;

public sealed class WebpExifTests
{
    private static List<(string FourCc, byte[] Data)> Chunks(byte[] webp)
    {
        Assert.Equal("RIFF"u8.ToArray(), webp[..4]);
        Assert.Equal("WEBP"u8.ToArray(), webp[8..12]);
        Assert.Equal(webp.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(webp.AsSpan(4)));
        var chunks = new List<(string, byte[])>();
        var position = 12;
        while (position < webp.Length)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(webp.AsSpan(position + 4));
            chunks.Add((Encoding.ASCII.GetString(webp, position, 4), webp[(position + 8)..(position + 8 + length)]));
            position += 8 + length + (length & 1);
        }

        Assert.Equal(webp.Length, position);
        return chunks;
    }

    private static (int Width, int Height, byte Flags) Vp8x(byte[] data)
    {
        Assert.Equal(10, data.Length);
        return ((data[4] | (data[5] << 8) | (data[6] << 16)) + 1, (data[7] | (data[8] << 8) | (data[9] << 16)) + 1, data[0]);
    }

    [Fact]
    public void Lossy_output_becomes_extended_with_the_exif_flag_and_canvas_size()
    {
        var webp = ImageTestData.Encoder().Encode(ImageTestData.Gradient(), ImageFormat.Webp, ImageTestData.Parameters("p"));

        var chunks = Chunks(webp);
        Assert.Equal(["VP8X", "VP8 ", "EXIF"], chunks.Select(c => c.FourCc));
        Assert.Equal((ImageTestData.Width, ImageTestData.Height, (byte)0x08), Vp8x(chunks[0].Data));

        // Raw TIFF, as the WebP container spec has it (no "Exif\0\0" header).
        Assert.Equal("MM\0*"u8.ToArray(), chunks[2].Data[..4]);
    }

    [Fact]
    public void Lossless_VP8L_input_is_converted_too()
    {
        var image = ImageTestData.Gradient();
        var plain = ImageTestData.PlainSkia(image, p => p.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 75)));
        Assert.Equal("VP8L", Chunks(plain)[0].FourCc);

        var webp = WebpExifWriter.Insert(plain, ExifUserCommentWriter.Build("灯台 ✨"));

        var chunks = Chunks(webp);
        Assert.Equal(["VP8X", "VP8L", "EXIF"], chunks.Select(c => c.FourCc));
        Assert.Equal((ImageTestData.Width, ImageTestData.Height, (byte)0x08), Vp8x(chunks[0].Data));
        Assert.Equal("灯台 ✨", ImageMetadataReader.ReadParameters(webp));
        Assert.Equal((0, 0.0), ImageTestData.Difference(image, webp));
    }

    [Fact]
    public void Extended_input_keeps_its_flags_and_chunks()
    {
        // Translucent pixels make Skia write VP8X + ALPH + VP8 itself.
        var plain = ImageTestData.PlainSkia(ImageTestData.Gradient(), p => p.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, 90)), alpha: 128);
        var original = Chunks(plain);
        Assert.Equal(["VP8X", "ALPH", "VP8 "], original.Select(c => c.FourCc));

        var webp = WebpExifWriter.Insert(plain, ExifUserCommentWriter.Build("text"));

        var chunks = Chunks(webp);
        Assert.Equal(["VP8X", "ALPH", "VP8 ", "EXIF"], chunks.Select(c => c.FourCc));
        Assert.Equal(original[0].Data[0] | 0x08, chunks[0].Data[0]);
        Assert.Equal(original[0].Data[1..], chunks[0].Data[1..]);
        Assert.Equal(original[1].Data, chunks[1].Data);
        Assert.Equal(original[2].Data, chunks[2].Data);
        Assert.Equal("text", ImageMetadataReader.ReadParameters(webp));
        using var decoded = SKBitmap.Decode(webp);
        Assert.Equal(ImageTestData.Width, decoded.Width);
    }

    [Fact]
    public void Existing_exif_is_replaced_and_odd_chunks_are_padded()
    {
        var plain = ImageTestData.PlainSkia(ImageTestData.Gradient(), p => p.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, 90)));
        var odd = ExifUserCommentWriter.Build("first");
        var once = WebpExifWriter.Insert(plain, [.. odd, 0]);

        var twice = WebpExifWriter.Insert(once, ExifUserCommentWriter.Build("second"));

        Assert.Equal(["VP8X", "VP8 ", "EXIF"], Chunks(twice).Select(c => c.FourCc));
        Assert.Equal("second", ImageMetadataReader.ReadParameters(twice));
        Assert.Equal(0, once.Length % 2);
    }

    [Fact]
    public void Reader_accepts_an_exif_chunk_with_the_jpeg_style_header()
    {
        // AUTOMATIC1111 passes piexif.dump() output, "Exif\0\0" included, to Pillow's WebP exif argument.
        var plain = ImageTestData.PlainSkia(ImageTestData.Gradient(), p => p.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, 90)));
        var webp = WebpExifWriter.Insert(plain, [.. "Exif\0\0"u8, .. ExifUserCommentWriter.Build("灯台")]);

        Assert.Equal("灯台", ImageMetadataReader.ReadParameters(webp));
    }

    [Fact]
    public void Non_webp_input_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => WebpExifWriter.Insert("RIFF\0\0\0\0WAVE"u8, ExifUserCommentWriter.Build("x")));
    }
}

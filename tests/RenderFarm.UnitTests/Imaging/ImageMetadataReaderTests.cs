using RenderFarm.Core.Imaging;
using RenderFarm.Infrastructure.Imaging;
using SkiaSharp;

namespace RenderFarm.UnitTests.Imaging;

public sealed class ImageMetadataReaderTests
{
    [Fact]
    public void Files_without_parameters_give_null()
    {
        var image = ImageTestData.Gradient(8, 8);

        Assert.Null(ImageMetadataReader.ReadParameters(ImageTestData.PlainSkia(image, p => p.Encode(SKPngEncoderOptions.Default))));
        Assert.Null(ImageMetadataReader.ReadParameters(ImageTestData.PlainSkia(image, p => p.Encode(new SKJpegEncoderOptions(90)))));
        Assert.Null(ImageMetadataReader.ReadParameters(ImageTestData.PlainSkia(image, p => p.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, 90)))));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xFF, 0xD8 })]
    [InlineData(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0 })]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a' })]
    public void Unknown_or_broken_input_gives_null(byte[] input)
    {
        Assert.Null(ImageMetadataReader.ReadParameters(input));
    }

    [Theory]
    [InlineData(ImageFormat.Png)]
    [InlineData(ImageFormat.Jpeg)]
    [InlineData(ImageFormat.Webp)]
    public void Truncated_or_corrupted_files_never_throw(ImageFormat format)
    {
        var encoded = ImageTestData.Encoder().Encode(ImageTestData.Gradient(6, 5), format, ImageTestData.Parameters("灯台 ✨"));
        var random = new Random(format.GetHashCode());

        for (var length = 0; length < encoded.Length; length++)
        {
            _ = ImageMetadataReader.ReadParameters(encoded.AsSpan(0, length));
        }

        for (var i = 0; i < 2_000; i++)
        {
            var damaged = (byte[])encoded.Clone();
            damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            damaged[random.Next(Math.Min(damaged.Length, 200))] = (byte)random.Next(256);
            _ = ImageMetadataReader.ReadParameters(damaged);
        }
    }
}

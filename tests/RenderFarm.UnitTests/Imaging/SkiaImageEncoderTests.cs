using Microsoft.Extensions.Options;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Imaging;
using RenderFarm.Infrastructure.Imaging;

namespace RenderFarm.UnitTests.Imaging;

public sealed class SkiaImageEncoderTests
{
    public static TheoryData<ImageFormat, string> FormatsAndPrompts()
    {
        var data = new TheoryData<ImageFormat, string>();
        foreach (var format in Enum.GetValues<ImageFormat>())
        {
            data.Add(format, "a lighthouse at dawn, café crème, 50% fog");
            data.Add(format, "灯台 at dawn ✨");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FormatsAndPrompts))]
    public void Parameters_text_reads_back_exactly(ImageFormat format, string prompt)
    {
        var parameters = ImageTestData.Parameters(prompt, negativePrompt: "blurry, ぼやけ, lowres");

        var encoded = ImageTestData.Encoder().Encode(ImageTestData.Gradient(), format, parameters);

        var text = ImageMetadataReader.ReadParameters(encoded);
        Assert.Equal(parameters.ToText(), text);
        Assert.Contains("Negative prompt: blurry, ぼやけ, lowres", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Png_pixels_survive_exactly()
    {
        var image = ImageTestData.Gradient();

        var encoded = ImageTestData.Encoder().Encode(image, ImageFormat.Png, ImageTestData.Parameters("p"));

        Assert.Equal((0, 0.0), ImageTestData.Difference(image, encoded));
    }

    [Fact]
    public void Png_compression_level_trades_size_and_keeps_pixels_and_parameters()
    {
        var image = ImageTestData.Gradient();
        var parameters = ImageTestData.Parameters("p");
        byte[] At(int level) => new SkiaImageEncoder(Options.Create(new ImageEncodingOptions { PngCompressionLevel = level })).Encode(image, ImageFormat.Png, parameters);

        var stored = At(0);
        var fast = At(1);
        var small = At(9);

        Assert.True(stored.Length > fast.Length && fast.Length > small.Length, $"sizes at levels 0, 1, 9: {stored.Length}, {fast.Length}, {small.Length}");
        foreach (var encoded in new[] { stored, fast, small })
        {
            Assert.Equal((0, 0.0), ImageTestData.Difference(image, encoded));
            Assert.Equal(parameters.ToText(), ImageMetadataReader.ReadParameters(encoded));
        }
    }

    [Theory]
    [InlineData(ImageFormat.Jpeg, 12, 1.5)]
    [InlineData(ImageFormat.Webp, 16, 2.5)]
    public void Lossy_pixels_stay_close(ImageFormat format, int maxDifference, double maxMeanDifference)
    {
        var image = ImageTestData.Gradient();

        var encoded = ImageTestData.Encoder().Encode(image, format, ImageTestData.Parameters("p"));

        var (max, mean) = ImageTestData.Difference(image, encoded);
        Assert.InRange(max, 0, maxDifference);
        Assert.InRange(mean, 0, maxMeanDifference);
    }

    [Theory]
    [InlineData(ImageFormat.Png, new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' })]
    [InlineData(ImageFormat.Jpeg, new byte[] { 0xFF, 0xD8, 0xFF, 0xE1 })]
    [InlineData(ImageFormat.Webp, new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F' })]
    public void Output_starts_with_the_format_signature(ImageFormat format, byte[] signature)
    {
        var encoded = ImageTestData.Encoder().Encode(ImageTestData.Gradient(), format, ImageTestData.Parameters("p"));

        Assert.Equal(signature, encoded[..signature.Length]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 1)]
    [InlineData(5, 7)]
    [InlineData(16, 2)]
    public void Tiny_images_encode_in_every_format(int width, int height)
    {
        var image = ImageTestData.Gradient(width, height);
        foreach (var format in Enum.GetValues<ImageFormat>())
        {
            var encoded = ImageTestData.Encoder().Encode(image, format, ImageTestData.Parameters("tiny"));

            Assert.Equal(ImageTestData.Parameters("tiny").ToText(), ImageMetadataReader.ReadParameters(encoded));
            if (format == ImageFormat.Png)
            {
                Assert.Equal((0, 0.0), ImageTestData.Difference(image, encoded));
            }
        }
    }

    [Fact]
    public void Quality_options_change_the_lossy_output()
    {
        var image = ImageTestData.Gradient();
        var parameters = ImageTestData.Parameters("p");
        var low = new SkiaImageEncoder(Microsoft.Extensions.Options.Options.Create(new ImageEncodingOptions { JpegQuality = 10, WebpQuality = 10 }));

        Assert.True(low.Encode(image, ImageFormat.Jpeg, parameters).Length < ImageTestData.Encoder().Encode(image, ImageFormat.Jpeg, parameters).Length);
        Assert.True(low.Encode(image, ImageFormat.Webp, parameters).Length < ImageTestData.Encoder().Encode(image, ImageFormat.Webp, parameters).Length);
    }

    [Fact]
    public void Empty_image_is_rejected()
    {
        var image = new GeneratedImage(0, 0, []);

        Assert.Throws<ArgumentException>(() => ImageTestData.Encoder().Encode(image, ImageFormat.Png, ImageTestData.Parameters("p")));
    }
}

using RenderFarm.Core.Imaging;
using RenderFarm.Infrastructure.Imaging;
using SkiaSharp;

namespace RenderFarm.UnitTests.Imaging;

public sealed class ThumbnailRendererTests
{
    [Theory]
    [InlineData(ImageFormat.Png, 1024, 576, 256, 144)]
    [InlineData(ImageFormat.Jpeg, 576, 1024, 144, 256)]
    [InlineData(ImageFormat.Webp, 512, 512, 256, 256)]
    [InlineData(ImageFormat.Png, 200, 100, 200, 100)]
    public void Thumbnails_are_jpegs_that_fit_256_pixels_keeping_the_aspect_and_never_grow(ImageFormat format, int width, int height, int thumbWidth, int thumbHeight)
    {
        var encoded = ImageTestData.Encoder().Encode(ImageTestData.Gradient(width, height), format, ImageTestData.Parameters("thumb"));

        var thumbnail = ThumbnailRenderer.Render(encoded);

        using var bitmap = SKBitmap.Decode(thumbnail);
        Assert.Equal((thumbWidth, thumbHeight), (bitmap.Width, bitmap.Height));
        Assert.Equal([0xFF, 0xD8], thumbnail[..2]);
    }

    [Fact]
    public void The_shrunk_picture_is_the_same_picture()
    {
        var image = ImageTestData.Gradient(512, 512);
        var thumbnail = ThumbnailRenderer.Render(ImageTestData.Encoder().Encode(image, ImageFormat.Png, ImageTestData.Parameters("thumb")));

        // The gradient runs red along x and green along y: the corners must say so.
        using var bitmap = SKBitmap.Decode(thumbnail);
        var topRight = bitmap.GetPixel(bitmap.Width - 1, 0);
        var bottomLeft = bitmap.GetPixel(0, bitmap.Height - 1);
        Assert.True(topRight.Red > 230 && topRight.Green < 25, $"top right {topRight}");
        Assert.True(bottomLeft.Green > 230 && bottomLeft.Red < 25, $"bottom left {bottomLeft}");
    }

    [Fact]
    public void Bytes_that_are_no_image_are_refused()
    {
        Assert.Throws<InvalidDataException>(() => ThumbnailRenderer.Render("not an image"u8));
    }
}

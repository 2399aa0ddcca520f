using Microsoft.Extensions.Options;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Imaging;
using RenderFarm.Infrastructure.Imaging;
using SkiaSharp;

namespace RenderFarm.UnitTests.Imaging;

internal static class ImageTestData
{
    // Odd sizes: rows that are not a multiple of the 4-pixel conversion step, and a non-square canvas.
    public const int Width = 67;
    public const int Height = 45;

    public static GenerationParameters Parameters(string prompt, string negativePrompt = "blurry, lowres") =>
        new(prompt, negativePrompt, 8, "Euler a", 0, 42, Width, Height, "sd-turbo");

    public static SkiaImageEncoder Encoder() => new(Options.Create(new ImageEncodingOptions()));

    /// <summary>Smooth gradients in all three channels, so lossy codecs stay close and any channel swap shows.</summary>
    public static GeneratedImage Gradient(int width = Width, int height = Height)
    {
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 3;
                rgb[i] = (byte)(x * 255 / Math.Max(1, width - 1));
                rgb[i + 1] = (byte)(y * 255 / Math.Max(1, height - 1));
                rgb[i + 2] = (byte)(255 - ((x + y) * 255 / Math.Max(1, width + height - 2)));
            }
        }

        return new GeneratedImage(width, height, rgb);
    }

    /// <summary>Largest and mean per-channel difference between the decoded file and the source pixels.</summary>
    public static (int Max, double Mean) Difference(GeneratedImage expected, byte[] encoded)
    {
        using var decoded = SKBitmap.Decode(encoded);
        Assert.NotNull(decoded);
        Assert.Equal(expected.Width, decoded.Width);
        Assert.Equal(expected.Height, decoded.Height);

        var max = 0;
        long sum = 0;
        for (var y = 0; y < expected.Height; y++)
        {
            for (var x = 0; x < expected.Width; x++)
            {
                var pixel = decoded.GetPixel(x, y);
                var i = ((y * expected.Width) + x) * 3;
                Assert.Equal(255, pixel.Alpha);
                foreach (var d in (ReadOnlySpan<int>)[pixel.Red - expected.Rgb[i], pixel.Green - expected.Rgb[i + 1], pixel.Blue - expected.Rgb[i + 2]])
                {
                    max = Math.Max(max, Math.Abs(d));
                    sum += Math.Abs(d);
                }
            }
        }

        return (max, sum / (3.0 * expected.Width * expected.Height));
    }

    /// <summary>Encodes without any metadata, for feeding the container writers directly.</summary>
    public static byte[] PlainSkia(GeneratedImage image, Func<SKPixmap, SKData?> encode, byte alpha = 255)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, alpha == 255 ? SKAlphaType.Opaque : SKAlphaType.Unpremul));
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var i = ((y * image.Width) + x) * 3;
                bitmap.SetPixel(x, y, new SKColor(image.Rgb[i], image.Rgb[i + 1], image.Rgb[i + 2], alpha));
            }
        }

        using var pixmap = bitmap.PeekPixels();
        using var data = encode(pixmap);
        Assert.NotNull(data);
        return data.ToArray();
    }
}

using SkiaSharp;

namespace RenderFarm.Infrastructure.Imaging;

/// <summary>Shrinks an encoded image to a small JPEG for gallery grids.</summary>
public static class ThumbnailRenderer
{
    public const string ContentType = "image/jpeg";

    /// <param name="maxEdge">The longer side of the thumbnail; smaller images keep their size (never upscaled).</param>
    /// <exception cref="InvalidDataException">The bytes are not an image SkiaSharp can decode.</exception>
    public static byte[] Render(ReadOnlySpan<byte> encoded, int maxEdge = 256, int quality = 80)
    {
        using var data = SKData.CreateCopy(encoded);
        using var original = SKBitmap.Decode(data) ?? throw new InvalidDataException("The image cannot be decoded.");
        var scale = Math.Min(1.0, (double)maxEdge / Math.Max(original.Width, original.Height));
        var width = Math.Max(1, (int)Math.Round(original.Width * scale));
        var height = Math.Max(1, (int)Math.Round(original.Height * scale));

        using var resized = original.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque), new SKSamplingOptions(SKCubicResampler.Mitchell))
            ?? throw new InvalidDataException($"The image cannot be resized to {width}x{height}.");
        using var pixmap = resized.PeekPixels();
        using var jpeg = pixmap.Encode(new SKJpegEncoderOptions(quality))
            ?? throw new InvalidOperationException("SkiaSharp could not encode the thumbnail.");
        return jpeg.ToArray();
    }
}

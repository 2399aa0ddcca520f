using System.Runtime.Intrinsics;
using Microsoft.Extensions.Options;
using RenderFarm.Core.Generation;
using RenderFarm.Core.Imaging;
using SkiaSharp;

namespace RenderFarm.Infrastructure.Imaging;

/// <summary>
/// Encodes with SkiaSharp, then embeds the generation parameters where AUTOMATIC1111-compatible readers look:
/// a PNG text chunk, or an EXIF UserComment in JPEG and WebP.
/// </summary>
public sealed class SkiaImageEncoder : IImageEncoder
{
    private readonly ImageEncodingOptions _options;

    public SkiaImageEncoder(IOptions<ImageEncodingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
    }

    public byte[] Encode(GeneratedImage image, ImageFormat format, GenerationParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(parameters);
        if (image.Width <= 0 || image.Height <= 0)
        {
            throw new ArgumentException($"Cannot encode an empty {image.Width}x{image.Height} image.", nameof(image));
        }

        var text = parameters.ToText();
        using var bitmap = ToBitmap(image);
        using var pixmap = bitmap.PeekPixels();
        return format switch
        {
            ImageFormat.Png => EncodePng(pixmap, text, _options.PngCompressionLevel),
            ImageFormat.Jpeg => EncodeJpeg(pixmap, text),
            ImageFormat.Webp => EncodeWebp(pixmap, text),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown image format."),
        };
    }

    private static byte[] EncodePng(SKPixmap pixmap, string text, int level)
    {
        using var data = Require(pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, level)), ImageFormat.Png);
        return PngTextChunkWriter.Insert(data.AsSpan(), GenerationParameters.TextKey, text);
    }

    private byte[] EncodeJpeg(SKPixmap pixmap, string text)
    {
        using var data = Require(pixmap.Encode(new SKJpegEncoderOptions(_options.JpegQuality)), ImageFormat.Jpeg);
        var exif = ExifUserCommentWriter.Build(text, JpegExifWriter.MaxExifLength);
        return JpegExifWriter.Insert(data.AsSpan(), exif);
    }

    private byte[] EncodeWebp(SKPixmap pixmap, string text)
    {
        using var data = Require(pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, _options.WebpQuality)), ImageFormat.Webp);
        return WebpExifWriter.Insert(data.AsSpan(), ExifUserCommentWriter.Build(text));
    }

    private static SKData Require(SKData? data, ImageFormat format) =>
        data ?? throw new InvalidOperationException($"SkiaSharp could not encode the image as {format}.");

    // RGBA8888 rather than Rgb888x: Skia's JPEG encoder refuses Rgb888x (returns null), and an alpha of 255
    // keeps the WebP encoder from adding an ALPH chunk.
    private static SKBitmap ToBitmap(GeneratedImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        try
        {
            var pixels = bitmap.GetPixelSpan();
            var rowBytes = bitmap.RowBytes;
            if (pixels.Length < (long)rowBytes * image.Height)
            {
                throw new InvalidOperationException($"SkiaSharp could not allocate a {image.Width}x{image.Height} bitmap.");
            }

            var sourceRowBytes = image.Width * 3;
            ReadOnlySpan<byte> rgb = image.Rgb;
            for (var y = 0; y < image.Height; y++)
            {
                RgbToRgba(rgb.Slice(y * sourceRowBytes, sourceRowBytes), pixels.Slice(y * rowBytes, image.Width * 4));
            }

            return bitmap;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    private static void RgbToRgba(ReadOnlySpan<byte> rgb, Span<byte> rgba)
    {
        var s = 0;
        var d = 0;

        // Four pixels per step: one byte shuffle spreads 12 RGB bytes into 16 RGBA bytes (pshufb / tbl),
        // the OR sets alpha (index 0xFF selects zero). A 16-byte load reads 4 bytes past the 4 pixels, hence the bound.
        if (Vector128.IsHardwareAccelerated)
        {
            var spread = Vector128.Create((byte)0, 1, 2, 0xFF, 3, 4, 5, 0xFF, 6, 7, 8, 0xFF, 9, 10, 11, 0xFF);
            var alpha = Vector128.Create((byte)0, 0, 0, 0xFF, 0, 0, 0, 0xFF, 0, 0, 0, 0xFF, 0, 0, 0, 0xFF);
            for (; s + 16 <= rgb.Length; s += 12, d += 16)
            {
                var pixels = Vector128.Shuffle(Vector128.Create(rgb.Slice(s, 16)), spread) | alpha;
                pixels.CopyTo(rgba.Slice(d, 16));
            }
        }

        for (; s < rgb.Length; s += 3, d += 4)
        {
            rgba[d] = rgb[s];
            rgba[d + 1] = rgb[s + 1];
            rgba[d + 2] = rgb[s + 2];
            rgba[d + 3] = 0xFF;
        }
    }
}

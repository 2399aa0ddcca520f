using RenderFarm.Core.Imaging;

namespace RenderFarm.Infrastructure.Imaging;

/// <summary>Reads the generation parameters text back out of an encoded PNG, JPEG or WebP file.</summary>
public static class ImageMetadataReader
{
    /// <returns>The parameters text, or null when the format is unknown, the text is absent, or the file is damaged.</returns>
    public static string? ReadParameters(ReadOnlySpan<byte> encoded)
    {
        if (PngTextChunkReader.IsPng(encoded))
        {
            return PngTextChunkReader.Read(encoded, GenerationParameters.TextKey);
        }

        if (JpegExifReader.IsJpeg(encoded))
        {
            var exif = JpegExifReader.FindExif(encoded);
            return exif.IsEmpty ? null : ExifUserCommentReader.Read(exif);
        }

        if (WebpChunks.Parse(encoded) is not { } chunks)
        {
            return null;
        }

        var exifChunk = chunks.FindIndex(chunk => chunk.FourCc == "EXIF");
        return exifChunk < 0 ? null : ExifUserCommentReader.Read(encoded.Slice(chunks[exifChunk].Offset, chunks[exifChunk].Length));
    }
}

using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Infrastructure.Imaging;

/// <summary>Quality settings for the lossy output formats (section <c>Encoding</c>).</summary>
public sealed class ImageEncodingOptions
{
    public const string SectionName = "Encoding";

    [Range(1, 100)]
    public int JpegQuality { get; set; } = 92;

    [Range(1, 100)]
    public int WebpQuality { get; set; } = 90;
}

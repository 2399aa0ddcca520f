namespace RenderFarm.Core.Generation;

/// <summary>A rendered image as tightly packed 8-bit RGB rows (<c>Width * Height * 3</c> bytes).</summary>
public sealed class GeneratedImage
{
    public GeneratedImage(int width, int height, byte[] rgb)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        if (rgb.Length != width * height * 3)
        {
            throw new ArgumentException($"Expected {width * height * 3} RGB bytes for {width}x{height}, got {rgb.Length}.", nameof(rgb));
        }

        Width = width;
        Height = height;
        Rgb = rgb;
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Rgb { get; }
}

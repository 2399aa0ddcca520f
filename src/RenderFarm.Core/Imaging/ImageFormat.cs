namespace RenderFarm.Core.Imaging;

public enum ImageFormat
{
    Png,
    Jpeg,
    Webp,
}

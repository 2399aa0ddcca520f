namespace RenderFarm.Core.Imaging;

public static class ImageFormats
{
    public static bool TryParse(string? value, out ImageFormat format)
    {
        switch (value?.ToLowerInvariant())
        {
            case "png": format = ImageFormat.Png; return true;
            case "jpg" or "jpeg": format = ImageFormat.Jpeg; return true;
            case "webp": format = ImageFormat.Webp; return true;
            default: format = default; return false;
        }
    }

    public static string Extension(this ImageFormat format) => format switch
    {
        ImageFormat.Png => "png",
        ImageFormat.Jpeg => "jpg",
        ImageFormat.Webp => "webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static string ContentType(this ImageFormat format) => format switch
    {
        ImageFormat.Png => "image/png",
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Webp => "image/webp",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The deterministic object key of image <paramref name="index"/> of a job: a retry overwrites, never duplicates.</summary>
    public static string ObjectKey(Guid jobId, int index, ImageFormat format) =>
        $"jobs/{jobId:D}/{index:D6}.{format.Extension()}";
}

using RenderFarm.Coordinator.Jobs;

namespace RenderFarm.Cli.Commands;

/// <summary>How downloaded images are named: <c>{job}-{index}-{seed}.{ext}</c>, so that files of several jobs sort and never collide.</summary>
internal static class ImageFiles
{
    public static string NameOf(Guid jobId, JobImageView image)
    {
        var extension = image.ContentType switch { "image/jpeg" => "jpg", "image/webp" => "webp", _ => "png" };
        return $"{jobId.ToString("N")[..8]}-{image.Index:D4}-{image.Seed}.{extension}";
    }
}

using System.IO.Compression;
using Microsoft.EntityFrameworkCore;
using RenderFarm.Core.Images;
using RenderFarm.Core.Storage;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Jobs;

/// <summary>Writes a job's rendered images into a zip as it goes, so large jobs never sit in memory or on disk whole.</summary>
public sealed class JobArchiveWriter(RenderFarmDbContext db, IImageStore store)
{
    /// <summary>The images to archive, in job order, or null when there is no such job.</summary>
    public async Task<IReadOnlyList<JobImage>?> FindImagesAsync(Guid jobId, CancellationToken cancellationToken)
    {
        if (!await db.Jobs.AnyAsync(j => j.Id == jobId, cancellationToken))
        {
            return null;
        }

        return await db.Images.AsNoTracking()
            .Where(i => i.JobId == jobId && i.Status == ImageStatus.Rendered && i.ObjectKey != null)
            .OrderBy(i => i.Index)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Entries are named like the CLI names its files: <c>{job}-{index}-{seed}.png</c>.</summary>
    public static string EntryName(JobImage image) =>
        $"{image.JobId.ToString("N")[..8]}-{image.Index:D4}-{image.Seed}{Path.GetExtension(image.ObjectKey)}";

    public async Task WriteAsync(IReadOnlyList<JobImage> images, Stream destination, CancellationToken cancellationToken)
    {
        await using var zip = await ZipArchive.CreateAsync(destination, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        using var buffer = new MemoryStream();
        foreach (var image in images)
        {
            buffer.SetLength(0);
            await store.CopyToAsync(image.ObjectKey!, buffer, cancellationToken);
            buffer.Position = 0;

            // PNG, JPEG and WebP are compressed already: deflating them again costs CPU and saves nothing.
            var entry = zip.CreateEntry(EntryName(image), CompressionLevel.NoCompression);
            entry.LastWriteTime = image.FinishedAt ?? DateTimeOffset.UtcNow;
            await using var entryStream = await entry.OpenAsync(cancellationToken);
            await buffer.CopyToAsync(entryStream, cancellationToken);
        }
    }
}

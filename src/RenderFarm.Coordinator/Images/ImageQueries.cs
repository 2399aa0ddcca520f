using Microsoft.EntityFrameworkCore;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Images;
using RenderFarm.Core.Storage;
using RenderFarm.Infrastructure.Imaging;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Images;

/// <summary>Read side of rendered images for the gallery.</summary>
public sealed class ImageQueries(RenderFarmDbContext db, IImageStore store)
{
    public async Task<IReadOnlyList<GalleryImageView>> ListAsync(ImageFilter filter, CancellationToken cancellationToken)
    {
        var rows = db.Images.AsNoTracking()
            .Where(i => i.Status == ImageStatus.Rendered && i.ObjectKey != null)
            .Join(db.Jobs.AsNoTracking(), i => i.JobId, j => j.Id, (i, j) => new { Image = i, Job = j });
        if (filter.JobId is { } jobId)
        {
            rows = rows.Where(r => r.Image.JobId == jobId);
        }

        if (!string.IsNullOrWhiteSpace(filter.Prompt))
        {
            // Lower-cased on both sides rather than ILIKE, which only PostgreSQL has.
            var text = filter.Prompt.Trim().ToLowerInvariant();
            rows = rows.Where(r => r.Image.Prompt.ToLower().Contains(text));
        }

        if (!string.IsNullOrWhiteSpace(filter.Model))
        {
            rows = rows.Where(r => r.Job.Model == filter.Model);
        }

        if (filter.From is { } from)
        {
            rows = rows.Where(r => r.Image.FinishedAt >= from);
        }

        if (filter.To is { } to)
        {
            rows = rows.Where(r => r.Image.FinishedAt < to);
        }

        var found = await rows
            .OrderByDescending(r => r.Image.FinishedAt).ThenBy(r => r.Image.Index)
            .Take(filter.Limit)
            .Select(r => new { r.Image.Id, r.Image.JobId, r.Image.Index, r.Image.Prompt, r.Image.Seed, r.Job.Model, r.Job.Width, r.Job.Height, r.Image.FinishedAt })
            .ToListAsync(cancellationToken);
        return found.Select(r => new GalleryImageView(r.Id, r.JobId, r.Index, r.Prompt, r.Seed, r.Model, r.Width, r.Height, r.FinishedAt,
            JobQueries.ImageContentPath(r.Id), JobQueries.ImageThumbnailPath(r.Id))).ToList();
    }

    /// <returns>Null when there is no such rendered image.</returns>
    public async Task<ImageDetailsView?> GetAsync(Guid imageId, CancellationToken cancellationToken)
    {
        var row = await db.Images.AsNoTracking()
            .Where(i => i.Id == imageId && i.ObjectKey != null)
            .Join(db.Jobs.AsNoTracking(), i => i.JobId, j => j.Id, (i, j) => new { Image = i, Job = j })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        // The file's own text is what other tools will read back, so that is what the page shows and copies.
        using var content = new MemoryStream();
        await store.CopyToAsync(row.Image.ObjectKey!, content, cancellationToken);
        var parameters = ImageMetadataReader.ReadParameters(content.GetBuffer().AsSpan(0, (int)content.Length));

        var (image, job) = (row.Image, row.Job);
        return new ImageDetailsView(image.Id, image.JobId, image.Index, image.Prompt, job.NegativePrompt, image.Seed, job.Model,
            job.Width, job.Height, job.Steps, job.Guidance, job.Format, image.ContentType, image.Bytes, image.RenderMilliseconds,
            image.WorkerId, image.FinishedAt, JobQueries.ImageContentPath(image.Id), JobQueries.ImageThumbnailPath(image.Id), parameters);
    }
}

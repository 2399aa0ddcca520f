using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RenderFarm.Coordinator.Events;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Storage;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Cli.Farms;

/// <summary>Coordinator and worker hosted in this process (see <see cref="EmbeddedFarm"/>), called directly.</summary>
public sealed class EmbeddedFarmClient(IHost host, string? temporaryDataDirectory) : IFarmClient
{
    private readonly ConcurrentDictionary<Guid, string> _objectKeys = new();

    // From the start, so that no image of a job submitted later goes unseen.
    private readonly ImageEventSubscription _events = host.Services.GetRequiredService<ImageEventBroadcaster>().Subscribe();

    public async Task<(JobAccepted? Accepted, IDictionary<string, string[]> Errors)> SubmitAsync(JobRequest request, CancellationToken cancellationToken)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var (accepted, errors) = await scope.ServiceProvider.GetRequiredService<JobService>().SubmitAsync(request, cancellationToken);
        return (accepted, errors);
    }

    public async Task<JobView> GetJobAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<JobQueries>().GetAsync(jobId, cancellationToken)
            ?? throw new InvalidOperationException($"Job {jobId} vanished.");
    }

    public async Task<IReadOnlyList<JobImageView>> GetImagesAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var images = await scope.ServiceProvider.GetRequiredService<JobQueries>().GetImagesAsync(jobId, cancellationToken) ?? [];

        // The stored objects of the rendered ones, in one query, so that writing a job's images out reads no row each.
        var keys = await scope.ServiceProvider.GetRequiredService<RenderFarmDbContext>().Images.AsNoTracking()
            .Where(i => i.JobId == jobId && i.ObjectKey != null)
            .Select(i => new { i.Id, i.ObjectKey })
            .ToListAsync(cancellationToken);
        foreach (var key in keys)
        {
            _objectKeys[key.Id] = key.ObjectKey!;
        }

        return images;
    }

    public async Task DownloadAsync(JobImageView image, Stream destination, CancellationToken cancellationToken)
    {
        if (!_objectKeys.TryGetValue(image.Id, out var objectKey))
        {
            await using var scope = host.Services.CreateAsyncScope();
            objectKey = (await scope.ServiceProvider.GetRequiredService<JobQueries>().FindRenderedImageAsync(image.Id, cancellationToken)
                ?? throw new InvalidOperationException($"Image {image.Id} has not been rendered.")).ObjectKey!;
        }

        await host.Services.GetRequiredService<IImageStore>().CopyToAsync(objectKey, destination, cancellationToken);
    }

    public async Task CancelAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<JobService>().CancelAsync(jobId, cancellationToken);
    }

    /// <summary>
    /// Wakes as soon as the images recorded since <paramref name="job"/> was read cover all it had open, so the command
    /// sees its job finish at once rather than up to a poll interval later (on average half of one: 0.125 s).
    /// </summary>
    public async Task WaitForNewsAsync(JobView job, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(interval);
        var open = job.Total - job.Completed - job.Failed;
        var finished = 0;
        try
        {
            await foreach (var image in _events.Reader.ReadAllAsync(timeout.Token))
            {
                if (image.JobId == job.Id && image.Type is ImageEvent.Rendered or ImageEvent.Failed && ++finished >= open)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _events.Dispose();
        await host.StopAsync();
        host.Dispose();
        if (temporaryDataDirectory is not null)
        {
            // SQLite keeps pooled connections open; release them so the folder can go.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(temporaryDataDirectory, recursive: true);
        }
    }
}

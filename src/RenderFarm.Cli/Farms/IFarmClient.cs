using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Jobs;

namespace RenderFarm.Cli.Farms;

/// <summary>What the CLI needs of a farm, whether it runs in this process or behind a coordinator's URL.</summary>
public interface IFarmClient : IAsyncDisposable
{
    /// <summary>Returns the accepted job, or the validation errors keyed by the API's field names.</summary>
    Task<(JobAccepted? Accepted, IDictionary<string, string[]> Errors)> SubmitAsync(JobRequest request, CancellationToken cancellationToken);

    Task<JobView> GetJobAsync(Guid jobId, CancellationToken cancellationToken);

    Task<IReadOnlyList<JobImageView>> GetImagesAsync(Guid jobId, CancellationToken cancellationToken);

    Task DownloadAsync(JobImageView image, Stream destination, CancellationToken cancellationToken);

    Task CancelAsync(Guid jobId, CancellationToken cancellationToken);

    /// <summary>
    /// Waits before <paramref name="job"/> is read again: <paramref name="interval"/> at most, less where the farm can
    /// tell that the job's open images have all finished.
    /// </summary>
    Task WaitForNewsAsync(JobView job, TimeSpan interval, CancellationToken cancellationToken);
}

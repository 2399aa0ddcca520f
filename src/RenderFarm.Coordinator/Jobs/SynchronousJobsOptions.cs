using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Coordinator.Jobs;

/// <summary>
/// Section <c>SynchronousJobs</c>: the APIs that answer with the images themselves (the OpenAI Images API, A1111's
/// txt2img) hold the request open while an ordinary job renders.
/// </summary>
public sealed class SynchronousJobsOptions
{
    public const string SectionName = "SynchronousJobs";

    /// <summary>
    /// How long a request waits for its job before answering with a timeout error and cancelling the job. Below the
    /// OpenAI .NET client's own network timeout (100 s) by default, so that the client hears the farm's error rather
    /// than giving up on its own.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// The job's state is read again after this long without any event for it: events are what finish the wait,
    /// this only covers changes that send none (a job cancelled elsewhere, a listener that fell behind).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the signed image addresses of <c>url</c> answers work (OpenAI's expire after an hour too).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(1);
}

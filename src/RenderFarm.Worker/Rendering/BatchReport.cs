using System.Collections.Concurrent;
using RenderFarm.Contracts;
using RenderFarm.Core.Telemetry;

namespace RenderFarm.Worker.Rendering;

/// <summary>What one engine batch produced, filled from its concurrent uploads and sent as one <see cref="BatchRendered"/>.</summary>
public sealed class BatchReport(string workerId, ILogger logger)
{
    public ConcurrentBag<ImageRendered> Rendered { get; } = [];

    public ConcurrentBag<ImageFailed> Failed { get; } = [];

    public ConcurrentBag<ImageFailed> Returned { get; } = [];

    public bool IsEmpty => Rendered.IsEmpty && Failed.IsEmpty && Returned.IsEmpty;

    /// <summary>The model failed on this image: an attempt is charged.</summary>
    public void Fail(RenderImage message, Exception error)
    {
        logger.LogWarning(error, "Image {ImageId} (#{Index}) of job {JobId} failed on attempt {Attempt}", message.ImageId, message.Index, message.JobId, message.Attempt);
        Count(message, "failed");
        Failed.Add(Outcome(message, error));
    }

    /// <summary>The model failed on this image for <paramref name="error"/> (one image of <paramref name="cause"/>'s batch): an attempt is charged.</summary>
    public void Fail(RenderImage message, string error, Exception cause)
    {
        logger.LogWarning(cause, "Image {ImageId} (#{Index}) of job {JobId} failed on attempt {Attempt}: {Error}", message.ImageId, message.Index, message.JobId, message.Attempt, error);
        Count(message, "failed");
        Failed.Add(Outcome(message, error));
    }

    /// <summary>A dependency failed, not the model: the image goes back uncharged.</summary>
    public void Return(RenderImage message, Exception error)
    {
        logger.LogWarning(error, "Image {ImageId} (#{Index}) of job {JobId} could not be stored; handing it back", message.ImageId, message.Index, message.JobId);
        Count(message, "returned");
        Returned.Add(Outcome(message, error));
    }

    /// <summary>Counts an image's outcome in <see cref="FarmMetrics.WorkerImages"/>.</summary>
    public void Count(RenderImage message, string outcome) =>
        FarmMetrics.WorkerImages.Add(1, new("model", message.Model), new("worker", workerId), new("outcome", outcome));

    public BatchRendered ToMessage() => new() { WorkerId = workerId, Rendered = [.. Rendered], Failed = [.. Failed], Returned = [.. Returned] };

    private ImageFailed Outcome(RenderImage message, Exception error) => Outcome(message, error.Message);

    private ImageFailed Outcome(RenderImage message, string error) => new()
    {
        JobId = message.JobId,
        ImageId = message.ImageId,
        Index = message.Index,
        Error = error,
        Attempts = message.Attempt,
        WorkerId = workerId,
    };
}

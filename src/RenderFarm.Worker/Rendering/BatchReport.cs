using System.Collections.Concurrent;
using RenderFarm.Contracts;

namespace RenderFarm.Worker.Rendering;

/// <summary>What one engine batch produced, filled from its concurrent uploads and sent as one <see cref="BatchRendered"/>.</summary>
public sealed class BatchReport(string workerId, ILogger logger)
{
    public ConcurrentBag<ImageRendered> Rendered { get; } = [];

    public ConcurrentBag<ImageFailed> Failed { get; } = [];

    public void Fail(RenderImage message, Exception error)
    {
        logger.LogWarning(error, "Image {ImageId} (#{Index}) of job {JobId} failed on attempt {Attempt}", message.ImageId, message.Index, message.JobId, message.Attempt);
        Failed.Add(new ImageFailed
        {
            JobId = message.JobId,
            ImageId = message.ImageId,
            Index = message.Index,
            Error = error.Message,
            Attempts = message.Attempt,
            WorkerId = workerId,
        });
    }

    public BatchRendered ToMessage() => new() { WorkerId = workerId, Rendered = [.. Rendered], Failed = [.. Failed] };
}

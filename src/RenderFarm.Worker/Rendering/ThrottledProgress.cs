using RenderFarm.Contracts;
using RenderFarm.Core.Generation;

namespace RenderFarm.Worker.Rendering;

/// <summary>
/// Relays one batch's step progress from the engine to the coordinators, at most once per interval (a 30-step SDXL
/// render moves a progress bar; a 1-step turbo one sends nothing). The last step is not sent: the images' results
/// follow at once.
/// </summary>
/// <param name="publish">Sends the message without blocking the engine (and without failing it).</param>
public sealed class ThrottledProgress(Action<RenderProgress> publish, string workerId, IReadOnlyList<RenderImage> images, TimeSpan interval, TimeProvider time) : IProgress<GenerationProgress>
{
    private long _last = time.GetTimestamp();

    public void Report(GenerationProgress value)
    {
        if (value.Step >= value.TotalSteps || time.GetElapsedTime(_last) < interval)
        {
            return;
        }

        _last = time.GetTimestamp();
        publish(new RenderProgress
        {
            WorkerId = workerId,
            JobIds = [.. images.Select(i => i.JobId)],
            ImageIds = [.. images.Select(i => i.ImageId)],
            Indexes = [.. images.Select(i => i.Index)],
            Step = value.Step,
            TotalSteps = value.TotalSteps,
        });
    }
}

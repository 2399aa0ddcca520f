using RenderFarm.Core.Generation;

namespace RenderFarm.Inference.Pipelines;

internal static class PreemptionWaits
{
    /// <summary>
    /// Lets <paramref name="preemption"/> run between two steps. The pipelines are synchronous on a pool thread of their
    /// own, so the batch holds that thread while the more urgent one renders on another: a thread per paused batch,
    /// and no allocation when nothing is more urgent.
    /// </summary>
    public static void Wait(this IPreemption? preemption, CancellationToken cancellationToken)
    {
        if (preemption is null)
        {
            return;
        }

        var pause = preemption.BetweenStepsAsync(cancellationToken);
        if (!pause.IsCompletedSuccessfully)
        {
            pause.AsTask().GetAwaiter().GetResult();
        }
    }
}

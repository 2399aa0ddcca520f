using System.Diagnostics;
using RenderFarm.Core.Generation;

namespace RenderFarm.Worker.Rendering;

/// <summary>
/// Lets a small job's batch (<see cref="RenderQueue.TakeUrgentAsync"/>) into the engine between the denoising steps of
/// the batch it is rendering, so the small job waits for a step instead of the whole batch. The paused batch keeps its
/// latents and goes on afterwards: no GPU time is lost, and the pause is left out of its measured engine time. One
/// level deep: a batch let in so is not paused in turn.
/// </summary>
public sealed class EnginePreemption(
    Func<CancellationToken, ValueTask<IReadOnlyList<QueuedRender>?>> takeUrgent,
    Func<IReadOnlyList<QueuedRender>, CancellationToken, Task> render) : IPreemption
{
    private long _pausedTicks;

    /// <summary>How long the paused batch waited for the batches let in ahead of it.</summary>
    public TimeSpan Paused => TimeSpan.FromTicks(Interlocked.Read(ref _pausedTicks));

    public ValueTask BetweenStepsAsync(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var taking = takeUrgent(cancellationToken);
        if (!taking.IsCompletedSuccessfully)
        {
            return new ValueTask(RenderAsync(taking.AsTask(), start, cancellationToken));
        }

        return taking.Result is { } urgent
            ? new ValueTask(RenderAsync(Task.FromResult<IReadOnlyList<QueuedRender>?>(urgent), start, cancellationToken))
            : ValueTask.CompletedTask;
    }

    private async Task RenderAsync(Task<IReadOnlyList<QueuedRender>?> taking, long start, CancellationToken cancellationToken)
    {
        try
        {
            if (await taking is { } urgent)
            {
                await render(urgent, cancellationToken);
            }
        }
        finally
        {
            Interlocked.Add(ref _pausedTicks, Stopwatch.GetElapsedTime(start).Ticks);
        }
    }
}

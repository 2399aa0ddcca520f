using RenderFarm.Infrastructure.Hosting;

namespace RenderFarm.Coordinator.Dispatch;

/// <summary>Wakes the dispatcher early when something it cares about happened (a job arrived, an image finished).</summary>
public sealed class DispatchSignal : WakeSignal
{
    private int _newJob;

    /// <summary>A job arrived: the next round starts at once rather than after <see cref="DispatchOptions.RoundInterval"/>.</summary>
    public void NotifyNewJob()
    {
        Interlocked.Exchange(ref _newJob, 1);
        Notify();
    }

    /// <returns>Whether a job arrived since the last call.</returns>
    public bool TakeNewJob() => Interlocked.Exchange(ref _newJob, 0) == 1;
}

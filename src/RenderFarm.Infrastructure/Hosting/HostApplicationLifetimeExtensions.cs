using Microsoft.Extensions.Hosting;

namespace RenderFarm.Infrastructure.Hosting;

public static class HostApplicationLifetimeExtensions
{
    /// <summary>
    /// Completes once every hosted service has started: background loops wait for it because the bus and the
    /// schema are ready only then.
    /// </summary>
    public static async Task WaitForStartAsync(this IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(started.SetResult);
        await started.Task.WaitAsync(cancellationToken);
    }
}

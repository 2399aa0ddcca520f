using Microsoft.Extensions.Hosting;
using Prometheus;

namespace RenderFarm.Infrastructure.Telemetry;

/// <summary>
/// Starts prometheus-net's listener on the process's meters at host start. prometheus-net starts it only just before
/// its first collection, that is the first scrape, so everything counted before it (a worker's first batches, the
/// dispatcher's first rounds, a whole short job) was lost and the counters started late.
/// </summary>
public sealed class MetricsListenerStarter : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        // A collection into nowhere runs the registry's before-first-collect hook, which starts the meter adapter.
        Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

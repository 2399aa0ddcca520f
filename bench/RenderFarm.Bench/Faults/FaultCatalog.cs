using RenderFarm.Bench.Farm;

namespace RenderFarm.Bench.Faults;

/// <summary>The faults of the suite, each a real process killed or a real server stopped under a running job.</summary>
public static class FaultCatalog
{
    /// <summary>How long the object store stays down: long enough that uploads outlast a few retries.</summary>
    public static readonly TimeSpan StoreOutage = TimeSpan.FromSeconds(30);

    public static IReadOnlyList<Fault> All { get; } =
    [
        // The broker takes back what a killed worker held, uncharged: only the model failing on an image costs an attempt.
        new("kill-worker", "kill -9 of a worker mid-batch", 1, c => c.Farm.KillWorkerAsync("w1")),
        new("restart-rabbitmq", "RabbitMQ stopped, then started again", 1, c => OutageAsync(c, "rabbitmq", c.Outage)),
        new("restart-postgres", "PostgreSQL stopped, then started again", 1, c => OutageAsync(c, "postgres", c.Outage)),
        new("stop-s3", $"the S3 server stopped for {StoreOutage.TotalSeconds:F0} s", 1, c => OutageAsync(c, "s3", StoreOutage)),
        new("kill-coordinator", "kill -9 of the coordinator, a new one started at once", 1, KillCoordinatorAsync),
        // From the job's start until the bad worker has stepped aside; up to the quarantine threshold of images fail
        // once on it before the good ones render them.
        new("failing-worker", "a third worker whose engine fails every image", 2, WaitQuarantinedAsync, StartFailingWorkerAsync, InjectAt: 0),
    ];

    private static async Task OutageAsync(FaultContext context, string server, TimeSpan outage)
    {
        await context.Servers.DownAsync(server, context.CancellationToken);
        await Task.Delay(outage, context.CancellationToken);
        await context.Servers.UpAsync(server, context.CancellationToken);
    }

    /// <summary>Over when the new process is launched, as a supervisor would: its start-up counts as recovery.</summary>
    private static async Task KillCoordinatorAsync(FaultContext context)
    {
        await context.Farm.KillCoordinatorAsync();
        context.Farm.StartCoordinator();
    }

    private static async Task StartFailingWorkerAsync(FaultContext context)
    {
        context.Farm.StartWorker("bad", EngineSpec.Failing);
        await context.Farm.Api.WaitWorkersAsync(context.Farm.Spec.Workers + 1, context.Farm.Failed, TimeSpan.FromMinutes(2), context.CancellationToken);
    }

    /// <summary>The fault is over when the bad worker has stepped aside: quarantined, as <c>GET /api/workers</c> shows.</summary>
    private static async Task WaitQuarantinedAsync(FaultContext context)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while ((await context.Farm.Api.WorkersAsync(context.CancellationToken)).All(w => w.GetProperty("id").GetString() != "bad" || w.GetProperty("state").GetString() != "quarantined"))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The worker whose engine fails every image was not quarantined within 2 minutes.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), context.CancellationToken);
        }
    }
}

using Microsoft.Extensions.Options;
using RenderFarm.Coordinator.Dispatch;
using RenderFarm.Coordinator.Workers;
using RenderFarm.Core.Models;

namespace RenderFarm.Coordinator.Models;

/// <summary>
/// The catalog as of now: built from the heartbeats of the workers heard from within the grace period (what they
/// advertise) and <c>Models:Available</c> (the operator's overrides and aliases). Read from the database each time, so
/// every coordinator replica answers the same.
/// </summary>
public sealed class ModelCatalogService(
    WorkerRegistry workers,
    IOptions<ModelCatalogOptions> options,
    IOptions<DispatchOptions> dispatch,
    TimeProvider clock)
{
    public async Task<ModelCatalog> GetAsync(CancellationToken cancellationToken)
    {
        var liveSince = clock.GetUtcNow() - dispatch.Value.WorkerExpiry;
        var recent = await workers.ListSinceAsync(liveSince - options.Value.GracePeriod, cancellationToken);
        return ModelCatalog.Build(options.Value, recent, liveSince);
    }
}

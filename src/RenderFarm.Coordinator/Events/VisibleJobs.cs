using Microsoft.EntityFrameworkCore;
using RenderFarm.Core.Studios;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Events;

/// <summary>
/// Which jobs' events one event stream may carry: the caller's studio's (the database's studio filter decides), each
/// job looked up once per stream. Admins and the embedded mode see every job without a lookup.
/// </summary>
public sealed class VisibleJobs(RenderFarmDbContext db, StudioScope scope)
{
    private readonly Dictionary<Guid, bool> _known = [];

    public async ValueTask<bool> ContainsAsync(Guid jobId, CancellationToken cancellationToken)
    {
        if (!scope.IsRestricted)
        {
            return true;
        }

        if (!_known.TryGetValue(jobId, out var visible))
        {
            visible = await db.Jobs.AsNoTracking().AnyAsync(j => j.Id == jobId, cancellationToken);
            _known[jobId] = visible;
        }

        return visible;
    }
}

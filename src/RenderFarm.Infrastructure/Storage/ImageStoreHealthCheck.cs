using Microsoft.Extensions.Diagnostics.HealthChecks;
using RenderFarm.Core.Storage;

namespace RenderFarm.Infrastructure.Storage;

public sealed class ImageStoreHealthCheck(IImageStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.EnsureReadyAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("The image store cannot be reached.", e);
        }
    }
}

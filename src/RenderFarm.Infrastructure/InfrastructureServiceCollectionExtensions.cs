using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RenderFarm.Infrastructure.Persistence;
using RenderFarm.Infrastructure.Storage;

namespace RenderFarm.Infrastructure;

public static class InfrastructureServiceCollectionExtensions
{
    /// <summary>What every role needs: the clock, the database and the image store. Safe to call once per role in one process.</summary>
    public static IServiceCollection AddRenderFarmInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddRenderFarmDatabase();
        services.AddRenderFarmStorage(configuration);
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using RenderFarm.Core.Generation;

namespace RenderFarm.Bench.Farm;

public static class ImageGeneratorDecoration
{
    /// <summary>Wraps whatever engine the host registered, however it registered it, so a host's own composition stays untouched.</summary>
    public static IServiceCollection DecorateImageGenerator(this IServiceCollection services, Func<IImageGenerator, IImageGenerator> decorate)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IImageGenerator))
            ?? throw new InvalidOperationException("No IImageGenerator is registered to decorate.");
        services.Remove(registered);
        services.Add(new ServiceDescriptor(typeof(IImageGenerator), sp => decorate(Create(sp, registered)), registered.Lifetime));
        return services;
    }

    private static IImageGenerator Create(IServiceProvider services, ServiceDescriptor registered) =>
        (IImageGenerator)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, registered.ImplementationType!));
}

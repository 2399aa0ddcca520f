using Microsoft.Extensions.DependencyInjection;
using RenderFarm.Core.Imaging;

namespace RenderFarm.Infrastructure.Imaging;

public static class ImagingServiceCollectionExtensions
{
    public static IServiceCollection AddRenderFarmImageEncoding(this IServiceCollection services)
    {
        services.AddOptions<ImageEncodingOptions>()
            .BindConfiguration(ImageEncodingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IImageEncoder, SkiaImageEncoder>();
        return services;
    }
}

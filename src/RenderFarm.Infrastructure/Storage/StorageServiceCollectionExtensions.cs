using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Minio;
using RenderFarm.Core.Storage;

namespace RenderFarm.Infrastructure.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Idempotent: the embedded mode hosts coordinator and worker, and both ask for the store.</summary>
    public static IServiceCollection AddRenderFarmStorage(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(s => s.ServiceType == typeof(IImageStore)))
        {
            return services;
        }

        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var provider = configuration.GetSection(StorageOptions.SectionName).GetValue(nameof(StorageOptions.Provider), StorageProvider.S3);
        if (provider == StorageProvider.LocalFolder)
        {
            services.AddSingleton<IImageStore, LocalFolderImageStore>();
        }
        else
        {
            services.AddSingleton<IMinioClient>(sp =>
            {
                var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
                return new MinioClient()
                    .WithEndpoint(options.Endpoint)
                    .WithCredentials(options.AccessKey, options.SecretKey)
                    .WithRegion(options.Region)
                    .WithSSL(options.UseSsl)
                    .Build();
            });
            services.AddSingleton<IImageStore, S3ImageStore>();
        }

        services.AddHostedService<ImageStoreInitializer>();
        services.AddHealthChecks().AddCheck<ImageStoreHealthCheck>("store", tags: ["ready"]);
        return services;
    }
}

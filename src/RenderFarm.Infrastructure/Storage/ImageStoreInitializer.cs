using Microsoft.Extensions.Hosting;
using RenderFarm.Core.Storage;

namespace RenderFarm.Infrastructure.Storage;

/// <summary>Creates the bucket or folder before the first image is stored.</summary>
public sealed class ImageStoreInitializer(IImageStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.EnsureReadyAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

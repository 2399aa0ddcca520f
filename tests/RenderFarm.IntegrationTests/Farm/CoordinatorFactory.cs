using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RenderFarm.Coordinator;

namespace RenderFarm.IntegrationTests.Farm;

/// <summary>The real coordinator host on Kestrel, on a free loopback port, configured for the test servers.</summary>
/// <remarks>Any type of the coordinator's assembly names its entry point; <c>Program</c> is ambiguous beside the worker's.</remarks>
/// <param name="services">Lets a test add services to the coordinator, such as a Quartz listener that counts firings.</param>
public sealed class CoordinatorFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null) : WebApplicationFactory<CoordinatorBusParticipant>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
    }
}

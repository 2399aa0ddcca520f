using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using RenderFarm.Coordinator;

namespace RenderFarm.IntegrationTests.Farm;

/// <summary>The real coordinator host on Kestrel, on a free loopback port, configured for the test servers.</summary>
/// <remarks>Any type of the coordinator's assembly names its entry point; <c>Program</c> is ambiguous beside the worker's.</remarks>
public sealed class CoordinatorFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<CoordinatorBusParticipant>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }
}

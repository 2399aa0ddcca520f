using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace RenderFarm.Infrastructure.Messaging;

public static class BusServiceCollectionExtensions
{
    public static IServiceCollection AddRenderFarmBus(this IServiceCollection services, IConfiguration configuration, params IBusParticipant[] participants)
    {
        services.AddOptions<BusOptions>()
            .BindConfiguration(BusOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<BrokerSends>();

        // The host is started only once the broker connection is up, so the dispatcher's first send and the
        // readiness check never meet a bus that is still starting.
        services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            host.WaitUntilStarted = true;
            host.StartTimeout = TimeSpan.FromSeconds(60);
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });

        var transport = configuration.GetSection(BusOptions.SectionName).GetValue(nameof(BusOptions.Transport), BusTransport.RabbitMq);
        services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            foreach (var participant in participants)
            {
                participant.AddConsumers(bus);
            }

            if (transport == BusTransport.InMemory)
            {
                bus.UsingInMemory((context, cfg) => ConfigureEndpoints(context, cfg, participants));
            }
            else
            {
                services.TryAddSingleton(TimeProvider.System);
                services.AddSingleton<BrokerReconnection>();
                services.AddHostedService(sp => sp.GetRequiredService<BrokerReconnection>());
                services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<BrokerReconnection>());
                bus.UsingRabbitMq((context, cfg) =>
                {
                    var uri = new Uri(context.GetRequiredService<IOptions<BusOptions>>().Value.RabbitMqUri);
                    var credentials = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
                    var virtualHost = uri.AbsolutePath.Trim('/') is { Length: > 0 } path ? Uri.UnescapeDataString(path) : "/";
                    cfg.Host(uri.Host, (ushort)BusOptions.RabbitMqPort(uri), virtualHost, host =>
                    {
                        if (credentials[0].Length > 0)
                        {
                            host.Username(credentials[0]);
                            host.Password(credentials.ElementAtOrDefault(1) ?? "");
                        }

                        if (uri.Scheme == "amqps")
                        {
                            host.UseSsl(_ => { });
                        }
                    });
                    ConfigureEndpoints(context, cfg, participants);
                });
            }
        });

        return services;
    }

    private static void ConfigureEndpoints<TEndpoint>(IBusRegistrationContext context, IBusFactoryConfigurator<TEndpoint> cfg, IBusParticipant[] participants)
        where TEndpoint : IReceiveEndpointConfigurator
    {
        foreach (var participant in participants)
        {
            participant.ConfigureEndpoints(context, cfg);
        }

        cfg.ConfigureEndpoints(context);
    }
}

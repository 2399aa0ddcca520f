using Microsoft.Extensions.Options;

namespace RenderFarm.Coordinator.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>The outbox, the sender and its HTTP client (public addresses only, no redirects, no logging of bodies).</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookSecrets>();
        services.AddScoped<WebhookOutbox>();
        services.AddHostedService<WebhookSender>();

        // A redirect would carry the signed body to an address nobody checked.
        services.AddHttpClient(WebhookSender.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var allowPrivate = provider.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateNetworks;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    ConnectCallback = (context, ct) => PublicAddressGuard.ConnectAsync(context, allowPrivate, ct),
                };
            })
            .RemoveAllLoggers();
        return services;
    }
}

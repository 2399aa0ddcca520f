using Microsoft.AspNetCore.DataProtection;

namespace RenderFarm.Coordinator.Webhooks;

/// <summary>Webhook secrets at rest: encrypted with the replicas' shared data-protection keys, readable only to sign.</summary>
public sealed class WebhookSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("RenderFarm.Webhooks");

    public string? Protect(string? secret) => secret is null ? null : _protector.Protect(secret);

    public string Unprotect(string stored) => _protector.Unprotect(stored);
}

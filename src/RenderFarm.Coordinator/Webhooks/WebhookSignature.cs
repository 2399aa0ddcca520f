using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RenderFarm.Coordinator.Webhooks;

/// <summary>
/// <c>RenderFarm-Signature: t=UNIX-SECONDS,v1=HEX</c>, HMAC-SHA256 with the job's secret over <c>t.body</c>: a receiver
/// recomputes it, compares in constant time, and refuses a timestamp more than a few minutes old (a replay).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "RenderFarm-Signature";

    public static string Create(string secret, DateTimeOffset at, string body)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }
}

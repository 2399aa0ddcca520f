using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace RenderFarm.Coordinator.Auth;

/// <summary>
/// What a key looks like: <c>rf_</c> and 43 base64url characters (256 random bits). The prefix marks it as ours, so
/// secret scanners can find leaked keys and the coordinator can tell a key from a JWT without trying both.
/// </summary>
public static class ApiKeyFormat
{
    public const string Marker = "rf_";

    private const int RandomBytes = 32;
    private const int VisiblePrefixLength = 11;

    public static string Generate() => Marker + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    public static bool LooksLikeKey(string? value) =>
        value is { Length: > VisiblePrefixLength } && value.StartsWith(Marker, StringComparison.Ordinal) && Base64Url.IsValid(value.AsSpan(Marker.Length), out var length) && length >= RandomBytes;

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Shown in lists and the audit log: <c>rf_</c> and 8 characters, 48 bits, far too few to guess the rest from.</summary>
    public static string VisiblePrefix(string key) => key[..VisiblePrefixLength];
}

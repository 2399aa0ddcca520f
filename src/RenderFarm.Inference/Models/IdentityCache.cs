using System.Collections.Concurrent;

namespace RenderFarm.Inference.Models;

/// <summary>
/// Remembers each folder's identity, so a rescan on an interval reads only file metadata: the digest is computed
/// again only when a file was added, removed, resized or rewritten (its modification time changed).
/// </summary>
public sealed class IdentityCache
{
    /// <summary>Computes every time: for a single read, such as the CLI's.</summary>
    public static IdentityCache None { get; } = new(enabled: false);

    private readonly ConcurrentDictionary<string, (string Signature, string Identity)> _known = new(StringComparer.Ordinal);
    private readonly bool _enabled;

    public IdentityCache()
        : this(enabled: true)
    {
    }

    private IdentityCache(bool enabled) => _enabled = enabled;

    public string Get(string folder, Func<string, string> compute)
    {
        ArgumentNullException.ThrowIfNull(compute);
        if (!_enabled)
        {
            return compute(folder);
        }

        var signature = string.Join('\n', Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => new FileInfo(f))
            .Select(f => $"{f.FullName}|{f.Length}|{f.LastWriteTimeUtc.Ticks}"));
        if (_known.TryGetValue(folder, out var known) && known.Signature == signature)
        {
            return known.Identity;
        }

        var identity = compute(folder);
        _known[folder] = (signature, identity);
        return identity;
    }
}

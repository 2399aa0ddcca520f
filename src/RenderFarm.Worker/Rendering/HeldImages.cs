using System.Collections.Concurrent;

namespace RenderFarm.Worker.Rendering;

/// <summary>
/// The images whose messages this worker holds, from receipt until reported: its heartbeats list them, so the
/// coordinator can tell an image whose message is nowhere (lost) from one that is merely waiting here.
/// </summary>
public sealed class HeldImages
{
    private readonly ConcurrentDictionary<Guid, byte> _images = new();

    public void Add(Guid imageId) => _images.TryAdd(imageId, 0);

    public void Remove(Guid imageId) => _images.TryRemove(imageId, out _);

    public IReadOnlyList<Guid> Snapshot() => [.. _images.Keys];
}

using System.Collections.Concurrent;

namespace RenderFarm.Worker.Models;

/// <summary>The model queues this worker listens on: those it had at start, and those connected since a rescan found more.</summary>
public sealed class RenderEndpoints
{
    private readonly ConcurrentDictionary<string, bool> _models = new(StringComparer.Ordinal);

    /// <summary>True the first time a model is added.</summary>
    public bool Add(string model) => _models.TryAdd(model, true);

    public bool Contains(string model) => _models.ContainsKey(model);
}

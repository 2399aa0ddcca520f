using RenderFarm.Inference.Pipelines;

namespace RenderFarm.Inference.Models;

/// <summary>
/// A model in the engine's cache: its pipeline (loaded once, on first use), its estimated size, when it was last used
/// and how many batches use it now. The engine's cache lock guards <see cref="LastUsed"/>, <see cref="Users"/> and
/// <see cref="Retired"/>.
/// </summary>
internal sealed class LoadedModel
{
    public LoadedModel(string name, long bytes, Func<LoadedModel, IDiffusionPipeline> load)
    {
        Name = name;
        Bytes = bytes;
        Pipeline = new Lazy<IDiffusionPipeline>(() => load(this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Name { get; }

    /// <summary>Its ONNX files' size on disk (see <see cref="ModelLoader.EstimateBytes"/>).</summary>
    public long Bytes { get; }

    public Lazy<IDiffusionPipeline> Pipeline { get; }

    /// <summary>The engine's use counter when it was last taken: the lowest is the least recently used.</summary>
    public long LastUsed { get; set; }

    /// <summary>Batches (and preloads) holding it now; one in use is never unloaded.</summary>
    public int Users { get; set; }

    /// <summary>Out of the cache (its folder changed or went away) while in use: the last user disposes it.</summary>
    public bool Retired { get; set; }
}

using RenderFarm.Contracts;

namespace RenderFarm.Inference.Models;

/// <summary>
/// A model folder as the farm knows it: where it is, and what a worker advertises for it (family, identity, the size
/// and sampling it is meant for).
/// </summary>
public sealed record ModelFolder(string Path, ModelAdvertisement Advertisement)
{
    public string Name => Advertisement.Name;
}

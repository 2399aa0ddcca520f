using RenderFarm.Contracts;

namespace RenderFarm.Core.Models;

/// <summary>The limits and defaults of a model nothing says more about: a 512² SD-style model sampled in a few steps without CFG.</summary>
public static class GenericModel
{
    public const string Family = "unknown";

    public static ModelAdvertisement Advertise(string name) => new()
    {
        Name = name,
        Family = Family,
        // Without files to digest, the name is all there is to tell models apart.
        Identity = $"name:{name}",
        SizeMultiple = 8,
        MinSize = 64,
        MaxSize = 2048,
        DefaultWidth = 512,
        DefaultHeight = 512,
        DefaultSteps = 4,
        DefaultGuidance = 0,
    };
}

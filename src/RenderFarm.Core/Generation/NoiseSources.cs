namespace RenderFarm.Core.Generation;

/// <summary>
/// The initial-noise generators an image can be drawn with. <see cref="TorchCpu"/> reproduces
/// <c>torch.randn(..., generator=torch.Generator("cpu").manual_seed(seed))</c>, so a seed gives the image diffusers,
/// ComfyUI or A1111 (CPU noise) give; <see cref="RenderFarm"/> is the farm's own generator (xoshiro256**).
/// </summary>
public static class NoiseSources
{
    public const string TorchCpu = "torch-cpu";
    public const string RenderFarm = "renderfarm";

    public static IReadOnlyList<string> All { get; } = [TorchCpu, RenderFarm];

    /// <summary>Exact, case-sensitive names only: the name is also written into every image's parameters.</summary>
    public static bool IsKnown(string? name) => name is TorchCpu or RenderFarm;
}

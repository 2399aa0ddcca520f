using System.Numerics.Tensors;
using RenderFarm.Core.Generation;
using RenderFarm.Inference.Noise;

namespace RenderFarm.Inference.Pipelines;

/// <summary>
/// Noise for a batch of latents where every image draws from its own seeded generator, so an image depends on its
/// seed only, not on its batch neighbours or its position in the batch (diffusers' list-of-generators form: one
/// <c>torch.randn</c> of one image's shape per generator and draw).
/// </summary>
internal sealed class LatentNoise
{
    private readonly IGaussianSource[] _generators;
    private readonly float[] _scratch;

    /// <param name="source">One of <see cref="NoiseSources"/>.</param>
    public LatentNoise(IReadOnlyList<long> seeds, int valuesPerImage, string source = NoiseSources.RenderFarm)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        _generators = [.. seeds.Select(s => Create(source, s))];
        ValuesPerImage = valuesPerImage;
        _scratch = new float[valuesPerImage];
    }

    public int ValuesPerImage { get; }

    /// <summary>Fills the whole batch, image by image, each slice from that image's generator.</summary>
    public void Fill(Span<float> batch)
    {
        for (var i = 0; i < _generators.Length; i++)
        {
            _generators[i].Fill(batch.Slice(i * ValuesPerImage, ValuesPerImage));
        }
    }

    /// <summary><c>batch += scale * noise</c>, drawing fresh noise per image.</summary>
    public void AddScaled(Span<float> batch, double scale)
    {
        for (var i = 0; i < _generators.Length; i++)
        {
            _generators[i].Fill(_scratch);
            var slice = batch.Slice(i * ValuesPerImage, ValuesPerImage);
            TensorPrimitives.MultiplyAdd(_scratch, (float)scale, slice, slice);
        }
    }

    private static IGaussianSource Create(string source, long seed) => source switch
    {
        NoiseSources.TorchCpu => new TorchCpuRandom(seed),
        NoiseSources.RenderFarm => new GaussianRandom(seed),
        _ => throw new ArgumentException($"Unknown noise '{source}' (known: {string.Join(", ", NoiseSources.All)}).", nameof(source)),
    };
}

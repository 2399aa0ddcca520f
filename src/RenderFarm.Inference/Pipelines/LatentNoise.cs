using System.Numerics.Tensors;

namespace RenderFarm.Inference.Pipelines;

/// <summary>
/// Noise for a batch of latents where every image draws from its own seeded generator, so an image depends on its
/// seed only, not on its batch neighbours or its position in the batch.
/// </summary>
internal sealed class LatentNoise
{
    private readonly GaussianRandom[] _generators;
    private readonly float[] _scratch;

    public LatentNoise(IReadOnlyList<long> seeds, int valuesPerImage)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        _generators = [.. seeds.Select(s => new GaussianRandom(s))];
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
}

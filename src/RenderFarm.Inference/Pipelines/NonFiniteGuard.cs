using System.Numerics.Tensors;
using RenderFarm.Core.Generation;

namespace RenderFarm.Inference.Pipelines;

/// <summary>
/// Catches NaN and Inf per image, after every denoising step and after decoding, so an overflowing model (typically
/// an fp16 export: activations above 65504 become Inf, then NaN) fails its images with the step it happened at
/// instead of handing back black or garbage pixels. The check is one vectorised sum per image and step; only a
/// non-finite sum is looked at closer.
/// </summary>
internal sealed class NonFiniteGuard(int images)
{
    private readonly string?[] _errors = new string?[images];

    public bool Failed(int image) => _errors[image] is not null;

    /// <summary>Checks each image's latents after step <paramref name="step"/> (0-based); a failed image's latents are zeroed so they stay harmless.</summary>
    public void CheckLatents(Span<float> latents, int valuesPerImage, int step)
    {
        for (var i = 0; i < _errors.Length; i++)
        {
            var slice = latents.Slice(i * valuesPerImage, valuesPerImage);
            if (!Failed(i) && NonFinite(slice) is { } kind)
            {
                _errors[i] = $"the model produced {kind} at step {step + 1}; fp16 export? (fp16 overflows above 65504: export in bf16 or fp32)";
                slice.Clear();
            }
        }
    }

    /// <summary>Checks one image's decoded pixels (planar floats, before they are mapped to bytes).</summary>
    public bool CheckDecoded(int image, ReadOnlySpan<float> decoded)
    {
        if (NonFinite(decoded) is { } kind)
        {
            _errors[image] = $"the VAE produced {kind} while decoding; fp16 VAE? (use an fp32 VAE or an fp16-fixed one)";
            return false;
        }

        return true;
    }

    /// <summary>The batch's result, or <see cref="ImageGenerationException"/> carrying the good images when any failed.</summary>
    public GenerationResult Result(IReadOnlyList<GeneratedImage?> images, string sampler, string noise)
    {
        if (_errors.All(e => e is null))
        {
            return new GenerationResult([.. images.Select(i => i!)], sampler, noise);
        }

        throw new ImageGenerationException(images, _errors, sampler, noise);
    }

    /// <returns>"NaN" or "Inf" when <paramref name="values"/> holds one, else null.</returns>
    internal static string? NonFinite(ReadOnlySpan<float> values)
    {
        if (float.IsFinite(TensorPrimitives.Sum(values)))
        {
            return null;
        }

        // The sum of finite values can overflow too; only an element says which.
        var inf = false;
        foreach (var v in values)
        {
            if (float.IsNaN(v))
            {
                return "NaN";
            }

            inf |= float.IsInfinity(v);
        }

        return inf ? "Inf" : null;
    }
}

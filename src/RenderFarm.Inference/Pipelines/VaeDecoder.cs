using System.Diagnostics;
using System.Numerics.Tensors;
using RenderFarm.Core.Generation;
using RenderFarm.Inference.Sessions;

namespace RenderFarm.Inference.Pipelines;

/// <summary>Latents to RGB24: unscale (and unshift), decode, map [-1, 1] to bytes as diffusers' image processor does.</summary>
internal sealed class VaeDecoder(OnnxModel model, double scalingFactor, double shiftFactor)
{
    public const string Input = "latent_sample";
    public const string Output = "sample";

    public OnnxModel Model { get; } = model;

    /// <summary>
    /// Decodes image by image: VAE activations dwarf the unet's at large sizes, and one at a time bounds memory. Images
    /// the guard already failed are skipped (null), and decoded pixels that are not finite fail theirs.
    /// </summary>
    public List<GeneratedImage?> Decode(float[] latents, int count, int channels, int latentHeight, int latentWidth, NonFiniteGuard guard, GenerationTimings? timings, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var perImage = channels * latentHeight * latentWidth;
        var images = new List<GeneratedImage?>(count);
        var session = TimeSpan.Zero;
        for (var i = 0; i < count; i++)
        {
            if (guard.Failed(i))
            {
                images.Add(null);
                continue;
            }

            var slice = new float[perImage];
            TensorPrimitives.Multiply(latents.AsSpan(i * perImage, perImage), (float)(1 / scalingFactor), slice);
            if (shiftFactor != 0)
            {
                TensorPrimitives.Add(slice, (float)shiftFactor, slice);
            }

            var output = OrtRun.Run(Model, [new OnnxInput(Input, slice, [1, channels, latentHeight, latentWidth])], [Output], cancellationToken, out var elapsed)[0];
            session += elapsed;
            if (output.Shape.Length != 4 || output.Shape[1] != 3)
            {
                throw new InvalidDataException($"{Model.Path}: '{Output}' should be [batch, 3, height, width], got [{string.Join(", ", output.Shape)}].");
            }

            images.Add(guard.CheckDecoded(i, output.Data) ? ToRgb(output.Data, output.Dim(2), output.Dim(3)) : null);
        }

        timings?.RecordDecoding(session, start);

        return images;
    }

    /// <summary>Planar [3, H, W] in [-1, 1] to packed RGB24: round((x / 2 + 0.5).clamp(0, 1) * 255).</summary>

    public static GeneratedImage ToRgb(float[] planar, int height, int width)
    {
        var pixels = height * width;
        var plane = planar.AsSpan(0, 3 * pixels);
        TensorPrimitives.Multiply(plane, 127.5f, plane);
        TensorPrimitives.Add(plane, 127.5f, plane);
        TensorPrimitives.Clamp(plane, 0f, 255f, plane);
        TensorPrimitives.Round(plane, plane);
        var rgb = new byte[3 * pixels];
        var r = plane[..pixels];
        var g = plane.Slice(pixels, pixels);
        var b = plane.Slice(2 * pixels, pixels);
        for (var p = 0; p < pixels; p++)
        {
            rgb[3 * p] = (byte)r[p];
            rgb[(3 * p) + 1] = (byte)g[p];
            rgb[(3 * p) + 2] = (byte)b[p];
        }

        return new GeneratedImage(width, height, rgb);
    }
}

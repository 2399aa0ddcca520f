using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RenderFarm.Core.Images;

namespace RenderFarm.Core.Jobs;

/// <summary>
/// An image's render key: SHA-256 over the model's identity (a digest of its files, which workers report) and every
/// parameter that decides its pixels — prompt, negative prompt, seed, size, steps, guidance, sampler, noise, format.
/// Two images with one key are the same bytes, so the second need not be rendered.
/// </summary>
public static class RenderKeys
{
    /// <summary>Sets the render key of each image of <paramref name="job"/>.</summary>
    /// <param name="identity">The model's identity; keys are only as good as it is, so callers pass null when unknown.</param>
    /// <param name="sampler">The model's sampler, as its workers advertise it.</param>
    public static void Assign(RenderJob job, string identity, string? sampler)
    {
        var common = string.Join(
            '\u001f',
            identity,
            job.NegativePrompt,
            job.Width.ToString(CultureInfo.InvariantCulture),
            job.Height.ToString(CultureInfo.InvariantCulture),
            job.Steps.ToString(CultureInfo.InvariantCulture),
            job.Guidance.ToString("R", CultureInfo.InvariantCulture),
            sampler ?? "",
            job.Noise ?? "",
            job.Format);
        foreach (var image in job.Images)
        {
            image.RenderKey = Of(common, image);
        }
    }

    private static string Of(string common, JobImage image) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\u001f', common, image.Prompt, image.Seed.ToString(CultureInfo.InvariantCulture)))));
}

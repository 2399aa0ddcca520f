namespace RenderFarm.Core.Generation;

/// <summary>
/// Some images of a batch came out unusable (the model produced NaN or Inf): never a black or garbage image recorded
/// as rendered. The other images of the batch are fine and come with it, so a caller that knows this exception
/// keeps them; one that does not sees the whole batch fail.
/// </summary>
public sealed class ImageGenerationException : Exception
{
    public ImageGenerationException(IReadOnlyList<GeneratedImage?> images, IReadOnlyList<string?> errors, string sampler, string? noise)
        : base(Summary(errors))
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(errors);
        if (images.Count != errors.Count || Enumerable.Range(0, images.Count).Any(i => (images[i] is null) == (errors[i] is null)))
        {
            throw new ArgumentException("Every item needs either an image or an error.", nameof(errors));
        }

        Images = images;
        Errors = errors;
        Sampler = sampler;
        Noise = noise;
    }

    /// <summary>Per item of the batch: the image, or null where <see cref="Errors"/> has the reason.</summary>
    public IReadOnlyList<GeneratedImage?> Images { get; }

    /// <summary>Per item of the batch: why it failed, or null for a good image.</summary>
    public IReadOnlyList<string?> Errors { get; }

    public string Sampler { get; }

    public string? Noise { get; }

    private static string Summary(IReadOnlyList<string?> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var failed = errors.Where(e => e is not null).ToList();
        return failed.Count == 1 && errors.Count == 1
            ? failed[0]!
            : $"{failed.Count} of {errors.Count} images failed: {string.Join("; ", failed.Distinct())}";
    }
}

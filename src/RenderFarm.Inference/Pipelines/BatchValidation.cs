using RenderFarm.Core.Generation;

namespace RenderFarm.Inference.Pipelines;

internal static class BatchValidation
{
    public static void Validate(GenerationBatch batch, int sizeMultiple)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Width <= 0 || batch.Width % sizeMultiple != 0)
        {
            throw new ArgumentException($"Width must be a positive multiple of {sizeMultiple} for model '{batch.Model}' (got {batch.Width}).", nameof(batch));
        }

        if (batch.Height <= 0 || batch.Height % sizeMultiple != 0)
        {
            throw new ArgumentException($"Height must be a positive multiple of {sizeMultiple} for model '{batch.Model}' (got {batch.Height}).", nameof(batch));
        }

        if (batch.Steps < 1)
        {
            throw new ArgumentException($"Steps must be at least 1 (got {batch.Steps}).", nameof(batch));
        }

        if (batch.Noise is not null && !NoiseSources.IsKnown(batch.Noise))
        {
            throw new ArgumentException($"Noise must be one of {string.Join(", ", NoiseSources.All)} (got '{batch.Noise}').", nameof(batch));
        }

        if (batch.Items.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one item.", nameof(batch));
        }

        foreach (var item in batch.Items)
        {
            if (item.Seed is < 0 or > uint.MaxValue)
            {
                throw new ArgumentException($"Seeds are 0..2^32-1 (got {item.Seed}).", nameof(batch));
            }
        }
    }
}

namespace RenderFarm.Inference.Pipelines;

/// <summary>
/// Encoded prompts, one row each: <see cref="Embeds"/> is [rows, sequence, dim], padded to the batch's longest
/// prompt; <see cref="Mask"/> [rows, sequence] marks each row's tokens (a prefix).
/// </summary>
internal readonly record struct PromptEmbeddings(float[] Embeds, bool[] Mask, int Rows, int Sequence, int Dim)
{
    /// <summary>How many tokens row <paramref name="row"/> has.</summary>
    public int Length(int row) => Mask.AsSpan(row * Sequence, Sequence).Count(true);
}

namespace RenderFarm.Inference.Noise;

/// <summary>One image's seeded stream of standard-normal values.</summary>
internal interface IGaussianSource
{
    /// <summary>Draws the next <c>destination.Length</c> values, as one tensor-sized draw (sources may treat sizes differently).</summary>
    void Fill(Span<float> destination);
}

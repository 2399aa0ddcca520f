using System.Numerics.Tensors;

namespace RenderFarm.Inference.Schedulers;

/// <summary>Every sampler step here is <c>sample = a * sample + b * modelOutput (+ c * noise)</c> with per-step scalars.</summary>
internal static class LinearUpdate
{
    public static void Apply(Span<float> sample, ReadOnlySpan<float> modelOutput, double sampleCoefficient, double modelCoefficient)
    {
        if (sampleCoefficient != 1.0)
        {
            TensorPrimitives.Multiply(sample, (float)sampleCoefficient, sample);
        }

        TensorPrimitives.MultiplyAdd(modelOutput, (float)modelCoefficient, sample, sample);
    }

    /// <summary>The x0 ("denoised") estimate as <c>a * sample + b * modelOutput</c> for sigma-parameterised (k-diffusion) samplers.</summary>
    public static (double SampleCoefficient, double ModelCoefficient) DenoisedFromSigma(string predictionType, double sigma) => predictionType switch
    {
        "epsilon" => (1.0, -sigma),
        "v_prediction" => (1.0 / ((sigma * sigma) + 1), -sigma / Math.Sqrt((sigma * sigma) + 1)),
        "sample" => (0.0, 1.0),
        _ => throw new NotSupportedException($"prediction_type '{predictionType}' is not supported (epsilon, v_prediction, sample)."),
    };
}

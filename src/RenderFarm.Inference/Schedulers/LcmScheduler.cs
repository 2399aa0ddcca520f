using RenderFarm.Inference.Pipelines;

namespace RenderFarm.Inference.Schedulers;

/// <summary>Latent Consistency Model multistep sampling, as diffusers' <c>LCMScheduler</c> (strength 1, no thresholding).</summary>
internal sealed class LcmScheduler : IDiffusionScheduler
{
    private const double SigmaData = 0.5;
    private readonly double[] _timesteps;
    private readonly double[] _alphasCumprod;
    private readonly double _finalAlphaCumprod;
    private readonly double _timestepScaling;
    private readonly string _predictionType;

    public LcmScheduler(SchedulerConfig config, int steps)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        _predictionType = config.PredictionType;
        _timestepScaling = config.TimestepScaling;
        _alphasCumprod = NoiseSchedule.AlphasCumprod(config);
        _finalAlphaCumprod = config.SetAlphaToOne ? 1.0 : _alphasCumprod[0];
        var original = config.OriginalInferenceSteps;
        if (steps > original)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"LCM runs at most original_inference_steps = {original} steps.");
        }

        // The distillation schedule: every k-th training timestep (k - 1, 2k - 1, ...), walked from the end.
        var k = config.NumTrainTimesteps / original;
        var origin = Enumerable.Range(1, original).Select(i => (i * k) - 1).Reverse().ToArray();
        _timesteps = new double[steps];
        for (var i = 0; i < steps; i++)
        {
            _timesteps[i] = origin[(int)Math.Floor((double)i * origin.Length / steps)];
        }
    }

    public string SamplerName => "LCM";

    public IReadOnlyList<double> Timesteps => _timesteps;

    public IReadOnlyList<double> Sigmas => [];

    public double InitNoiseSigma => 1.0;

    public double InputScale(int step) => 1.0;

    public void Step(int step, ReadOnlySpan<float> modelOutput, Span<float> sample, LatentNoise noise)
    {
        ArgumentNullException.ThrowIfNull(noise);
        var t = (int)_timesteps[step];
        var last = step == _timesteps.Length - 1;
        var alpha = _alphasCumprod[t];
        var alphaPrev = last ? _finalAlphaCumprod : PrevAlpha(step);
        var (cSkip, cOut) = BoundaryScalings(t);

        // x0 = p * x + q * m from the model's parameterisation.
        var (p, q) = _predictionType switch
        {
            "epsilon" => (1 / Math.Sqrt(alpha), -Math.Sqrt(1 - alpha) / Math.Sqrt(alpha)),
            "v_prediction" => (Math.Sqrt(alpha), -Math.Sqrt(1 - alpha)),
            "sample" => (0.0, 1.0),
            _ => throw new NotSupportedException($"prediction_type '{_predictionType}' is not supported by LCM."),
        };

        // denoised = c_out * x0 + c_skip * x
        var a = (cOut * p) + cSkip;
        var b = cOut * q;
        if (last)
        {
            LinearUpdate.Apply(sample, modelOutput, a, b);
            return;
        }

        // x_prev = sqrt(alpha_prev) * denoised + sqrt(1 - alpha_prev) * noise
        var s = Math.Sqrt(alphaPrev);
        LinearUpdate.Apply(sample, modelOutput, s * a, s * b);
        noise.AddScaled(sample, Math.Sqrt(1 - alphaPrev));
    }

    private double PrevAlpha(int step)
    {
        var prev = (int)_timesteps[step + 1];
        return prev >= 0 ? _alphasCumprod[prev] : _finalAlphaCumprod;
    }

    private (double CSkip, double COut) BoundaryScalings(int timestep)
    {
        var scaled = timestep * _timestepScaling;
        var cSkip = SigmaData * SigmaData / ((scaled * scaled) + (SigmaData * SigmaData));
        var cOut = scaled / Math.Sqrt((scaled * scaled) + (SigmaData * SigmaData));
        return (cSkip, cOut);
    }
}

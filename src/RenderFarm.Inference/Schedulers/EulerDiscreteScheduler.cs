using RenderFarm.Inference.Pipelines;

namespace RenderFarm.Inference.Schedulers;

/// <summary>Euler (Karras et al. 2022, algorithm 2 without churn), as diffusers' <c>EulerDiscreteScheduler</c>.</summary>
internal sealed class EulerDiscreteScheduler : IDiffusionScheduler
{
    private readonly double[] _timesteps;
    private readonly double[] _sigmas;
    private readonly string _predictionType;

    public EulerDiscreteScheduler(SchedulerConfig config, int steps)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        _predictionType = config.PredictionType;
        var trainSigmas = NoiseSchedule.Sigmas(NoiseSchedule.AlphasCumprod(config));
        var logSigmas = Array.ConvertAll(trainSigmas, Math.Log);
        _timesteps = DiscreteTimesteps.Euler(config, steps);
        double[] sigmas;
        if (config.InterpolationType == "log_linear")
        {
            sigmas = Array.ConvertAll(NoiseSchedule.Linspace(Math.Log(trainSigmas[^1]), Math.Log(trainSigmas[0]), steps + 1), Math.Exp);
        }
        else
        {
            sigmas = Array.ConvertAll(_timesteps, t => NoiseSchedule.InterpolateAtIndex(t, trainSigmas));
        }

        if (config.UseKarrasSigmas)
        {
            sigmas = NoiseSchedule.Karras(sigmas[^1], sigmas[0], steps);
            _timesteps = Array.ConvertAll(sigmas, s => NoiseSchedule.SigmaToT(s, logSigmas));
        }

        var last = config.FinalSigmasType == "sigma_min" ? trainSigmas[0] : 0.0;
        _sigmas = [.. sigmas.Take(steps), last];
        SamplerName = config.UseKarrasSigmas ? "Euler Karras" : "Euler";
        var max = _sigmas.Max();
        var spacing = config.TimestepSpacing ?? "linspace";
        InitNoiseSigma = spacing is "linspace" or "trailing" ? max : Math.Sqrt((max * max) + 1);
    }

    public string SamplerName { get; }

    public IReadOnlyList<double> Timesteps => _timesteps;

    public IReadOnlyList<double> Sigmas => _sigmas;

    public double InitNoiseSigma { get; }

    public double InputScale(int step) => 1.0 / Math.Sqrt((_sigmas[step] * _sigmas[step]) + 1);

    public void Step(int step, ReadOnlySpan<float> modelOutput, Span<float> sample, LatentNoise noise)
    {
        var sigma = _sigmas[step];
        var dt = _sigmas[step + 1] - sigma;
        // x0 = a*x + b*m; derivative = (x - x0) / sigma; x' = x + dt * derivative.
        var (a, b) = LinearUpdate.DenoisedFromSigma(_predictionType, sigma);
        LinearUpdate.Apply(sample, modelOutput, 1 + (dt * (1 - a) / sigma), -dt * b / sigma);
    }
}

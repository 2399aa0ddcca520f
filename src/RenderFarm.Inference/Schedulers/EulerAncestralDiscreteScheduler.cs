using RenderFarm.Inference.Pipelines;

namespace RenderFarm.Inference.Schedulers;

/// <summary>Euler ancestral ("Euler a"), as diffusers' <c>EulerAncestralDiscreteScheduler</c>: fresh noise each step.</summary>
internal sealed class EulerAncestralDiscreteScheduler : IDiffusionScheduler
{
    private readonly double[] _timesteps;
    private readonly double[] _sigmas;
    private readonly string _predictionType;

    public EulerAncestralDiscreteScheduler(SchedulerConfig config, int steps)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        _predictionType = config.PredictionType;
        var trainSigmas = NoiseSchedule.Sigmas(NoiseSchedule.AlphasCumprod(config));
        _timesteps = DiscreteTimesteps.Euler(config, steps);
        _sigmas = [.. _timesteps.Select(t => NoiseSchedule.InterpolateAtIndex(t, trainSigmas)), 0.0];
        var max = _sigmas.Max();
        var spacing = config.TimestepSpacing ?? "linspace";
        InitNoiseSigma = spacing is "linspace" or "trailing" ? max : Math.Sqrt((max * max) + 1);
    }

    public string SamplerName => "Euler a";

    public IReadOnlyList<double> Timesteps => _timesteps;

    public IReadOnlyList<double> Sigmas => _sigmas;

    public double InitNoiseSigma { get; }

    public double InputScale(int step) => 1.0 / Math.Sqrt((_sigmas[step] * _sigmas[step]) + 1);

    public void Step(int step, ReadOnlySpan<float> modelOutput, Span<float> sample, LatentNoise noise)
    {
        ArgumentNullException.ThrowIfNull(noise);
        var sigmaFrom = _sigmas[step];
        var sigmaTo = _sigmas[step + 1];
        var sigmaUp = Math.Sqrt(sigmaTo * sigmaTo * ((sigmaFrom * sigmaFrom) - (sigmaTo * sigmaTo)) / (sigmaFrom * sigmaFrom));
        var sigmaDown = Math.Sqrt((sigmaTo * sigmaTo) - (sigmaUp * sigmaUp));
        var dt = sigmaDown - sigmaFrom;
        var (a, b) = LinearUpdate.DenoisedFromSigma(_predictionType, sigmaFrom);
        LinearUpdate.Apply(sample, modelOutput, 1 + (dt * (1 - a) / sigmaFrom), -dt * b / sigmaFrom);
        noise.AddScaled(sample, sigmaUp);
    }
}

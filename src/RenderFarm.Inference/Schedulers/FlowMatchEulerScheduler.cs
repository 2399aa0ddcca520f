using RenderFarm.Inference.Pipelines;

namespace RenderFarm.Inference.Schedulers;

/// <summary>Euler on a rectified-flow ODE, as diffusers' <c>FlowMatchEulerDiscreteScheduler</c> (no stochastic sampling).</summary>
internal sealed class FlowMatchEulerScheduler : IDiffusionScheduler
{
    private readonly double[] _timesteps;
    private readonly double[] _sigmas;

    /// <param name="mu">The resolution-dependent shift, required when the config uses dynamic shifting.</param>
    public FlowMatchEulerScheduler(SchedulerConfig config, int steps, double? mu = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var n = config.NumTrainTimesteps;
        var shift = config.Shift;
        // At construction diffusers shifts the training sigmas 1..1/n once (unless shifting is dynamic), so the
        // default sigma_min is the shifted 1/n and sigma_max is 1.
        var min = 1.0 / n;
        if (!config.UseDynamicShifting)
        {
            min = shift * min / (1 + ((shift - 1) * min));
        }

        var raw = NoiseSchedule.Linspace(1.0 * n, min * n, steps);
        var sigmas = new double[steps];
        for (var i = 0; i < steps; i++)
        {
            var s = raw[i] / n;
            if (config.UseDynamicShifting)
            {
                var m = mu ?? throw new ArgumentException("mu is required when use_dynamic_shifting is set.", nameof(mu));
                sigmas[i] = s <= 0 ? 0 : Math.Exp(m) / (Math.Exp(m) + ((1 / s) - 1));
            }
            else
            {
                sigmas[i] = shift * s / (1 + ((shift - 1) * s));
            }
        }

        _sigmas = [.. sigmas.Select(s => (double)(float)s), 0.0];
        _timesteps = Array.ConvertAll(sigmas, s => (double)(float)s * n);
    }

    /// <summary>
    /// diffusers' <c>set_timesteps(sigmas=...)</c>: the given sigmas are shifted (statically, or by <paramref name="mu"/>
    /// when shifting is dynamic) in float32 as diffusers does, one step each, and a terminal 0 is appended, so the
    /// last model call is at the smallest given sigma, never at 0.
    /// </summary>
    public FlowMatchEulerScheduler(SchedulerConfig config, IReadOnlyList<float> sigmas, double? mu = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(sigmas);
        ArgumentOutOfRangeException.ThrowIfLessThan(sigmas.Count, 1, nameof(sigmas));
        var n = (float)config.NumTrainTimesteps;
        var shift = (float)config.Shift;
        var shifted = new float[sigmas.Count];
        for (var i = 0; i < sigmas.Count; i++)
        {
            var s = sigmas[i];
            if (config.UseDynamicShifting)
            {
                var m = mu ?? throw new ArgumentException("mu is required when use_dynamic_shifting is set.", nameof(mu));
                var e = (float)Math.Exp(m);
                shifted[i] = e / (e + ((1f / s) - 1f));
            }
            else
            {
                shifted[i] = shift * s / (1f + ((shift - 1f) * s));
            }
        }

        _sigmas = [.. shifted.Select(s => (double)s), 0.0];
        _timesteps = Array.ConvertAll(shifted, s => (double)(s * n));
    }

    /// <summary>diffusers' <c>calculate_shift</c>: mu grows linearly with the number of image tokens.</summary>
    public static double CalculateShift(int imageSeqLen, SchedulerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var m = (config.MaxShift - config.BaseShift) / (config.MaxImageSeqLen - config.BaseImageSeqLen);
        var b = config.BaseShift - (m * config.BaseImageSeqLen);
        return (imageSeqLen * m) + b;
    }

    public string SamplerName => "Euler (flow match)";

    public IReadOnlyList<double> Timesteps => _timesteps;

    public IReadOnlyList<double> Sigmas => _sigmas;

    public double InitNoiseSigma => 1.0;

    public double InputScale(int step) => 1.0;

    public void Step(int step, ReadOnlySpan<float> modelOutput, Span<float> sample, LatentNoise noise) =>
        LinearUpdate.Apply(sample, modelOutput, 1.0, _sigmas[step + 1] - _sigmas[step]);
}

using RenderFarm.Inference.Pipelines;

namespace RenderFarm.Inference.Schedulers;

/// <summary>
/// DPM-Solver++ (2M), as diffusers' <c>DPMSolverMultistepScheduler</c> with algorithm_type dpmsolver++ and
/// solver_order 2: first order on the first step (no history yet) and, per lower_order_final, on the last.
/// </summary>
internal sealed class DpmSolverMultistepScheduler : IDiffusionScheduler
{
    private readonly double[] _timesteps;
    private readonly double[] _sigmas;
    private readonly string _predictionType;
    private readonly bool _lowerOrderFinal;
    private readonly bool _eulerAtFinal;
    private readonly bool _finalZero;
    private float[]? _previousDenoised;
    private int _lowerOrderNums;

    public DpmSolverMultistepScheduler(SchedulerConfig config, int steps)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (config.AlgorithmType != "dpmsolver++" || config.SolverOrder != 2)
        {
            throw new NotSupportedException($"Only DPM-Solver++ of order 2 is implemented (config has {config.AlgorithmType}, order {config.SolverOrder}).");
        }

        _predictionType = config.PredictionType;
        _lowerOrderFinal = config.LowerOrderFinal;
        _eulerAtFinal = config.EulerAtFinal;
        _finalZero = config.FinalSigmasType == "zero";
        var n = config.NumTrainTimesteps;
        var trainSigmas = NoiseSchedule.Sigmas(NoiseSchedule.AlphasCumprod(config));
        var logSigmas = Array.ConvertAll(trainSigmas, Math.Log);
        var spacing = config.TimestepSpacing ?? "linspace";
        double[] timesteps;
        switch (spacing)
        {
            case "linspace":
                var lin = NoiseSchedule.Linspace(0, n - 1, steps + 1);
                timesteps = [.. lin.Reverse().Take(steps).Select(v => Math.Round(v, MidpointRounding.ToEven))];
                break;
            case "leading":
                var ratio = n / (steps + 1);
                timesteps = [.. Enumerable.Range(0, steps + 1).Reverse().Take(steps).Select(i => (double)((i * ratio) + config.StepsOffset))];
                break;
            case "trailing":
                timesteps = DiscreteTimesteps.Euler(config, steps);
                break;
            default:
                throw new NotSupportedException($"timestep_spacing '{spacing}' is not supported (linspace, leading, trailing).");
        }

        double[] sigmas;
        if (config.UseKarrasSigmas)
        {
            // Unlike Euler, the Karras range spans the whole training schedule.
            sigmas = NoiseSchedule.Karras(trainSigmas[0], trainSigmas[^1], steps);
            timesteps = Array.ConvertAll(sigmas, s => NoiseSchedule.SigmaToT(s, logSigmas));
            if (config.BetaSchedule != "squaredcos_cap_v2")
            {
                timesteps = Array.ConvertAll(timesteps, t => Math.Round(t, MidpointRounding.ToEven));
            }
        }
        else
        {
            sigmas = Array.ConvertAll(timesteps, t => NoiseSchedule.InterpolateAtIndex(t, trainSigmas));
        }

        // diffusers stores the timesteps as int64.
        _timesteps = Array.ConvertAll(timesteps, Math.Truncate);
        _sigmas = [.. sigmas, _finalZero ? 0.0 : trainSigmas[0]];
        SamplerName = config.UseKarrasSigmas ? "DPM++ 2M Karras" : "DPM++ 2M";
    }

    public string SamplerName { get; }

    public IReadOnlyList<double> Timesteps => _timesteps;

    public IReadOnlyList<double> Sigmas => _sigmas;

    public double InitNoiseSigma => 1.0;

    public double InputScale(int step) => 1.0;

    public void Step(int step, ReadOnlySpan<float> modelOutput, Span<float> sample, LatentNoise noise)
    {
        var (alphaS0, sigmaS0) = AlphaSigma(_sigmas[step]);
        var (alphaT, sigmaT) = AlphaSigma(_sigmas[step + 1]);

        // The solver works on the data prediction x0 = p * x + q * m.
        var (p, q) = _predictionType switch
        {
            "epsilon" => (1 / alphaS0, -sigmaS0 / alphaS0),
            "v_prediction" => (alphaS0, -sigmaS0),
            "sample" => (0.0, 1.0),
            _ => throw new NotSupportedException($"prediction_type '{_predictionType}' is not supported by DPM-Solver++."),
        };
        var denoised = new float[sample.Length];
        sample.CopyTo(denoised);
        LinearUpdate.Apply(denoised, modelOutput, p, q);

        var last = step == _timesteps.Length - 1;
        var lowerOrderFinal = last && (_eulerAtFinal || (_lowerOrderFinal && _timesteps.Length < 15) || _finalZero);
        var lambdaT = Lambda(alphaT, sigmaT);
        var lambdaS0 = Lambda(alphaS0, sigmaS0);
        var h = lambdaT - lambdaS0;
        var expMinusH = Math.Exp(-h);

        // First order (DPM-Solver++ 1): x_t = (sigma_t / sigma_s) x - alpha_t (e^{-h} - 1) D0.
        var sampleCoefficient = sigmaT / sigmaS0;
        var d0Coefficient = -alphaT * (expMinusH - 1);
        if (_lowerOrderNums < 1 || lowerOrderFinal || _previousDenoised is null)
        {
            LinearUpdate.Apply(sample, denoised, sampleCoefficient, d0Coefficient);
        }
        else
        {
            // Second order, midpoint: D1 = (D0 - D_prev) / r0 and x_t gains -0.5 alpha_t (e^{-h} - 1) D1.
            var (alphaS1, sigmaS1) = AlphaSigma(_sigmas[step - 1]);
            var h0 = lambdaS0 - Lambda(alphaS1, sigmaS1);
            var r0 = h0 / h;
            var d1Coefficient = 0.5 * d0Coefficient / r0;
            LinearUpdate.Apply(sample, denoised, sampleCoefficient, d0Coefficient + d1Coefficient);
            LinearUpdate.Apply(sample, _previousDenoised, 1.0, -d1Coefficient);
        }

        _previousDenoised = denoised;
        if (_lowerOrderNums < 2)
        {
            _lowerOrderNums++;
        }
    }

    private static (double Alpha, double Sigma) AlphaSigma(double sigma)
    {
        var alpha = 1 / Math.Sqrt((sigma * sigma) + 1);
        return (alpha, sigma * alpha);
    }

    private static double Lambda(double alpha, double sigma) => Math.Log(alpha) - Math.Log(sigma);
}

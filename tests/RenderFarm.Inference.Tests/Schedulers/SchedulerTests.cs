using RenderFarm.Inference.Pipelines;
using RenderFarm.Inference.Schedulers;

namespace RenderFarm.Inference.Tests.Schedulers;

/// <summary>
/// Expected numbers were computed independently of this C# code, in float64 numpy, from the formulas of the
/// diffusers schedulers (scheduling_euler_discrete.py, scheduling_euler_ancestral_discrete.py, scheduling_lcm.py,
/// scheduling_dpmsolver_multistep.py, scheduling_flow_match_euler_discrete.py). The script, abridged:
/// <code>
/// N = 1000
/// betas = np.linspace(0.00085**0.5, 0.012**0.5, N)**2; ac = np.cumprod(1 - betas)        # scaled_linear
/// train_sig = ((1 - ac) / ac)**0.5; log_sig = np.log(train_sig)
/// def sigma_to_t(s): ls = np.log(s); lo = np.cumsum(ls - log_sig >= 0).argmax().clip(max=N-2)
///                    w = np.clip((log_sig[lo] - ls) / (log_sig[lo] - log_sig[lo+1]), 0, 1); return (1-w)*lo + w*(lo+1)
/// def karras(lo, hi, n): r = np.linspace(0, 1, n); return (hi**(1/7) + r*(lo**(1/7) - hi**(1/7)))**7
/// x = [1.0, -0.5, 0.25]; m = [0.1, 0.2, -0.3]; m2 = [-0.2, 0.05, 0.4]
/// # Euler trailing:  ts = np.arange(N, 0, -N/4).round() - 1; sig = [*np.interp(ts, arange(N), train_sig), 0]
/// #   eps step: x0 = x - s0*m; x + (x - x0)/s0*(s1 - s0);  v step: x0 = m*(-s0/(s0²+1)**.5) + x/(s0²+1)
/// # Euler leading (offset 1): ts = (arange(5)*(N//5))[::-1] + 1; init = (max(sig)²+1)**.5
/// # Euler Karras: ks = karras(sig[-1], sig[0], 5); ts = [sigma_to_t(k) for k in ks]
/// # Euler a: su = (st²(sf²-st²)/sf²)**.5; sd = (st²-su²)**.5; det = x + (x - x0)/sf*(sd - sf)
/// # LCM: k = N//50; origin = (arange(1, 51)*k - 1)[::-1]; ts = origin[floor(linspace(0, 50, 4, endpoint=False))]
/// #   c_skip = .25/((10t)²+.25); c_out = 10t/((10t)²+.25)**.5; x0 = (x - (1-a)**.5 m)/a**.5; den = c_out x0 + c_skip x
/// # DPM++ 2M Karras: ks = karras(train_sig[0], train_sig[-1], 5); ts = round(sigma_to_t(ks)); sig = [*ks, 0]
/// #   alpha = 1/(s²+1)**.5, sigma_t = s*alpha, lambda = log(alpha) - log(sigma_t); D = (x - sigma_t m)/alpha
/// #   1st: (σt/σs) x - αt (e^-h - 1) D0;  2nd: ... - 0.5 αt (e^-h - 1) (D0 - D_prev)/r0, r0 = h_prev/h
/// # Flow match shift 3: s = linspace(1, sigma_min, n); s = 3s/(1 + 2s); sigma_min = 3e-3/(1+2e-3) (Z-Image: see below)
/// </code>
/// </summary>
public sealed class SchedulerTests
{
    private static readonly float[] X = [1.0f, -0.5f, 0.25f];
    private static readonly float[] M = [0.1f, 0.2f, -0.3f];
    private static readonly float[] M2 = [-0.2f, 0.05f, 0.4f];

    private static SchedulerConfig Sd(string spacing, int offset = 1, string prediction = "epsilon") => new()
    {
        BetaSchedule = "scaled_linear",
        BetaStart = 0.00085,
        BetaEnd = 0.012,
        TimestepSpacing = spacing,
        StepsOffset = offset,
        PredictionType = prediction,
    };

    [Fact]
    public void Euler_trailing_matches_diffusers()
    {
        var s = new EulerDiscreteScheduler(Sd("trailing"), 4);

        Near([999.0, 749.0, 499.0, 249.0], s.Timesteps, 1e-9);
        Near([14.614641229333639, 4.081729363724308, 1.612886194303876, 0.6932048996386885, 0.0], s.Sigmas, 1e-6);
        Assert.Equal(14.614641229333639, s.InitNoiseSigma, 1e-5);
        Assert.Equal(0.0682649142171675, s.InputScale(0), 1e-7);
        Near([-0.053291186560933346, -2.6065823731218667, 3.4098735596827994], StepOnce(s, 0, X, M), 1e-5);
        Assert.Equal("Euler", s.SamplerName);
    }

    [Fact]
    public void Euler_v_prediction_step_matches_diffusers()
    {
        var s = new EulerDiscreteScheduler(Sd("trailing", prediction: "v_prediction"), 4);

        Near([0.2107461703650747, -0.2851301664232391, 0.28637074820418085], StepOnce(s, 0, X, M), 1e-5);
    }

    [Fact]
    public void Euler_leading_with_offset_matches_diffusers()
    {
        var s = new EulerDiscreteScheduler(Sd("leading"), 5);

        Near([801.0, 601.0, 401.0, 201.0, 1.0], s.Timesteps, 1e-9);
        Near([5.134431117517536, 2.292853821788702, 1.1682159550479787, 0.5740502594628525, 0.04131441199678309, 0.0], s.Sigmas, 1e-6);
        // leading spacing: sqrt(sigma_max^2 + 1)
        Assert.Equal(5.2309065084870685, s.InitNoiseSigma, 1e-5);
    }

    [Fact]
    public void Euler_linspace_matches_diffusers()
    {
        var s = new EulerDiscreteScheduler(Sd("linspace", 0), 3);

        Near([999.0, 499.5, 0.0], s.Timesteps, 1e-4);
        Near([14.614641229333639, 1.6155825101612464, 0.029167158151720367, 0.0], s.Sigmas, 1e-5);
    }

    [Fact]
    public void Euler_karras_matches_diffusers()
    {
        var s = new EulerDiscreteScheduler(Sd("leading") with { UseKarrasSigmas = true }, 5);

        Near([5.134431117517538, 2.0248055945183188, 0.6921500519920211, 0.19469305794654232, 0.04131441199678309, 0.0], s.Sigmas, 1e-5);
        Near([801.0000000000001, 565.8301494059456, 248.59301006516964, 38.42235089597084, 1.0], s.Timesteps, 1e-3);
        Assert.Equal("Euler Karras", s.SamplerName);
    }

    [Fact]
    public void Euler_ancestral_step_is_the_deterministic_part_plus_sigma_up_noise()
    {
        var s = new EulerAncestralDiscreteScheduler(Sd("trailing"), 4);
        var result = StepOnce(s, 0, X, M, seed: 5);
        var noise = new float[3];
        new LatentNoise([5], 3).Fill(noise);

        const double sigmaUp = 3.9193037798533163;
        double[] deterministic = [-0.3474653299609489, -3.194930659921898, 4.292395989882847];
        Near(deterministic, [.. result.Select((v, i) => v - (sigmaUp * noise[i]))], 1e-4);
        Assert.Equal("Euler a", s.SamplerName);
    }

    [Fact]
    public void Lcm_timesteps_and_updates_match_diffusers()
    {
        var s = new LcmScheduler(Sd("leading") with { SetAlphaToOne = false }, 4);

        Near([999.0, 759.0, 499.0, 259.0], s.Timesteps, 0);
        Near([1.1599334097768592, -0.7598116066136364, 0.5237817246869835], StepOnce(s, 3, X, M), 1e-5);

        var step0 = StepOnce(s, 0, X, M, seed: 11);
        var noise = new float[3];
        new LatentNoise([11], 3).Fill(noise);
        double[] deterministic = [3.0133289126616347, -2.341531258375048, 1.8386590708229082];
        Near(deterministic, [.. step0.Select((v, i) => v - (0.9735435643594436 * noise[i]))], 1e-4);
    }

    [Fact]
    public void Dpm_solver_pp_2m_karras_matches_diffusers_over_two_steps()
    {
        var s = new DpmSolverMultistepScheduler(Sd("linspace", 0) with { UseKarrasSigmas = true }, 5);

        Near([999.0, 786.0, 427.0, 59.0, 0.0], s.Timesteps, 0);
        Near([14.614641229333643, 4.79653482712404, 1.274100208978096, 0.24794990271076306, 0.02916715815172038, 0.0], s.Sigmas, 1e-5);
        var sample = (float[])X.Clone();
        var noise = new LatentNoise([0], 3);
        s.Step(0, M, sample, noise);
        Near([2.7893732698888694, -1.8956443751127618, 1.348588379691043], sample, 1e-4);
        s.Step(1, M2, sample, noise);
        Near([9.26124869761304, -5.649181612605086, 2.304016008291115], sample, 1e-3);
        Assert.Equal("DPM++ 2M Karras", s.SamplerName);
    }

    [Fact]
    public void Dpm_solver_linspace_timesteps_match_diffusers()
    {
        var s = new DpmSolverMultistepScheduler(Sd("linspace", 0), 5);

        Near([999.0, 799.0, 599.0, 400.0, 200.0], s.Timesteps, 0);
        Near([14.614641229333639, 5.087763182678662, 2.2764630657646574, 1.1643911769523951, 0.5716658553730636, 0.0], s.Sigmas, 1e-5);
    }

    /// <summary>
    /// Z-Image's grid since diffusers PR #13730 (2026-05-29): 8 steps = 8 forwards. Expected values from Debian's
    /// python3-torch 1.13 and numpy 1.24, following pipeline_z_image.py and scheduling_flow_match_euler_discrete.py:
    /// <code>
    /// s = np.array(torch.linspace(1.0, 1 / n, n).tolist()).astype(np.float32)   # get_default_z_image_sigmas
    /// s = 3.0 * s / (1 + (3.0 - 1) * s)                                          # static shift, float32
    /// sig = torch.cat([torch.from_numpy(s), torch.zeros(1)]); t = sig[:-1] * 1000
    /// x + (sig[k + 1] - sig[k]) * m                                              # the Euler step, float32
    /// </code>
    /// </summary>
    [Fact]
    public void Zimage_eight_step_grid_matches_diffusers_exactly()
    {
        var config = new SchedulerConfig { ClassName = "FlowMatchEulerDiscreteScheduler", Shift = 3.0 };
        var s = new FlowMatchEulerScheduler(config, ZImagePipeline.DefaultSigmas(8));

        Assert.Equal(
            [1.0, 0.9545454382896423, 0.8999999761581421, 0.8333333134651184, 0.75, 0.6428571343421936, 0.5, 0.30000001192092896, 0.0],
            s.Sigmas);
        Assert.Equal([1000.0, 954.54541015625, 900.0, 833.3333129882812, 750.0, 642.8571166992188, 500.0, 300.0], s.Timesteps);
        Assert.Equal([0.9954545497894287f, -0.5090909004211426f, 0.26363638043403625f], StepOnce(s, 0, X, M));
        Assert.Equal([0.9700000286102295f, -0.5600000023841858f, 0.3400000035762787f], StepOnce(s, 7, X, M));
    }

    [Fact]
    public void Zimage_grid_for_other_step_counts_ends_above_zero()
    {
        var config = new SchedulerConfig { ClassName = "FlowMatchEulerDiscreteScheduler", Shift = 3.0 };

        var four = new FlowMatchEulerScheduler(config, ZImagePipeline.DefaultSigmas(4));
        var nine = new FlowMatchEulerScheduler(config, ZImagePipeline.DefaultSigmas(9));

        Assert.Equal([1.0, 0.8999999761581421, 0.75, 0.5, 0.0], four.Sigmas);
        Near([1.0, 0.9600000381469727, 0.9130435585975647, 0.8571428060531616, 0.7894737124443054, 0.7058823704719543,
              0.5999999642372131, 0.46153849363327026, 0.27272728085517883, 0.0], nine.Sigmas, 1e-7);
        Assert.Equal(9, nine.Timesteps.Count);
        Assert.All(nine.Timesteps, t => Assert.True(t > 0));
    }

    [Fact]
    public void Flow_match_default_sigma_min_and_step_match_diffusers()
    {
        var config = new SchedulerConfig { ClassName = "FlowMatchEulerDiscreteScheduler", Shift = 3.0 };
        var s = new FlowMatchEulerScheduler(config, 4);

        Near([1.0, 0.8576923076923075, 0.6021505376344084, 0.00892857142857143, 0.0], s.Sigmas, 1e-6);
        Near([0.9857692307692307, -0.5284615384615385, 0.29269230769230775], StepOnce(s, 0, X, M), 1e-6);
    }

    [Fact]
    public void Scheduler_config_selects_the_sampler()
    {
        Assert.Equal("euler", SchedulerFactory.KeyFor(new SchedulerConfig { ClassName = "PNDMScheduler" }, null));
        Assert.Equal("euler-a", SchedulerFactory.KeyFor(new SchedulerConfig { ClassName = "EulerAncestralDiscreteScheduler" }, null));
        Assert.Equal("dpm++2m-karras", SchedulerFactory.KeyFor(new SchedulerConfig { ClassName = "DPMSolverMultistepScheduler", UseKarrasSigmas = true }, null));
        Assert.Equal("lcm", SchedulerFactory.KeyFor(new SchedulerConfig { ClassName = "EulerDiscreteScheduler" }, "lcm"));
    }

    private static float[] StepOnce(IDiffusionScheduler scheduler, int step, float[] sample, float[] model, long seed = 0)
    {
        var result = (float[])sample.Clone();
        scheduler.Step(step, model, result, new LatentNoise([seed], result.Length));
        return result;
    }

    private static void Near(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double relative)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var tolerance = Math.Max(relative * Math.Abs(expected[i]), 1e-6);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"[{i}] expected {expected[i]}, got {actual[i]}");
        }
    }

    private static void Near(IReadOnlyList<double> expected, float[] actual, double relative) =>
        Near(expected, [.. actual.Select(v => (double)v)], relative);
}

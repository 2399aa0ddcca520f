namespace RenderFarm.Inference.Schedulers;

/// <summary>The discrete DDPM noise schedule shared by the SD-family samplers (diffusers' betas/alphas_cumprod/sigmas).</summary>
internal static class NoiseSchedule
{
    public static double[] AlphasCumprod(SchedulerConfig config)
    {
        var n = config.NumTrainTimesteps;
        var betas = new double[n];
        switch (config.BetaSchedule)
        {
            case "linear":
                for (var i = 0; i < n; i++)
                {
                    betas[i] = Lerp(config.BetaStart, config.BetaEnd, i, n);
                }

                break;
            case "scaled_linear":
                for (var i = 0; i < n; i++)
                {
                    var b = Lerp(Math.Sqrt(config.BetaStart), Math.Sqrt(config.BetaEnd), i, n);
                    betas[i] = b * b;
                }

                break;
            case "squaredcos_cap_v2":
                for (var i = 0; i < n; i++)
                {
                    betas[i] = Math.Min(1 - (CosineAlphaBar((i + 1.0) / n) / CosineAlphaBar((double)i / n)), 0.999);
                }

                break;
            default:
                throw new NotSupportedException($"beta_schedule '{config.BetaSchedule}' is not supported (linear, scaled_linear, squaredcos_cap_v2).");
        }

        var alphasCumprod = new double[n];
        var product = 1.0;
        for (var i = 0; i < n; i++)
        {
            product *= 1 - betas[i];
            alphasCumprod[i] = product;
        }

        return alphasCumprod;
    }

    /// <summary>sqrt((1 - a) / a) per training timestep: ascending in t.</summary>
    public static double[] Sigmas(double[] alphasCumprod) =>
        Array.ConvertAll(alphasCumprod, a => Math.Sqrt((1 - a) / a));

    /// <summary>diffusers' <c>_sigma_to_t</c>: the fractional timestep of a sigma by interpolating in log-sigma.</summary>
    public static double SigmaToT(double sigma, double[] logSigmas)
    {
        var logSigma = Math.Log(Math.Max(sigma, 1e-10));
        // Index of the last log-sigma not above logSigma (cumsum(dists >= 0).argmax()), clipped so low+1 exists.
        var low = 0;
        for (var i = 0; i < logSigmas.Length; i++)
        {
            if (logSigma - logSigmas[i] >= 0)
            {
                low = i;
            }
        }

        low = Math.Min(low, logSigmas.Length - 2);
        var high = low + 1;
        var w = (logSigmas[low] - logSigma) / (logSigmas[low] - logSigmas[high]);
        w = Math.Clamp(w, 0, 1);
        return ((1 - w) * low) + (w * high);
    }

    /// <summary>Karras et al. (2022) eq. 5 with rho = 7.</summary>
    public static double[] Karras(double sigmaMin, double sigmaMax, int steps)
    {
        const double rho = 7.0;
        var minInv = Math.Pow(sigmaMin, 1 / rho);
        var maxInv = Math.Pow(sigmaMax, 1 / rho);
        var result = new double[steps];
        for (var i = 0; i < steps; i++)
        {
            var ramp = steps == 1 ? 0 : (double)i / (steps - 1);
            result[i] = Math.Pow(maxInv + (ramp * (minInv - maxInv)), rho);
        }

        return result;
    }

    /// <summary>numpy.interp over xp = 0, 1, ..., fp.Length - 1.</summary>
    public static double InterpolateAtIndex(double x, double[] fp)
    {
        if (x <= 0)
        {
            return fp[0];
        }

        if (x >= fp.Length - 1)
        {
            return fp[^1];
        }

        var i = (int)Math.Floor(x);
        var frac = x - i;
        return fp[i] + (frac * (fp[i + 1] - fp[i]));
    }

    /// <summary>numpy.linspace(start, stop, count) (endpoint included).</summary>
    public static double[] Linspace(double start, double stop, int count)
    {
        var result = new double[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = count == 1 ? start : start + ((stop - start) * i / (count - 1));
        }

        return result;
    }

    private static double Lerp(double start, double end, int i, int n) => n == 1 ? start : start + ((end - start) * i / (n - 1));

    private static double CosineAlphaBar(double t)
    {
        var c = Math.Cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }
}

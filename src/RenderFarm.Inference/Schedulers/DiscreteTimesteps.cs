namespace RenderFarm.Inference.Schedulers;

/// <summary>The <c>timestep_spacing</c> rules of diffusers' Euler schedulers (which DPM-Solver varies slightly).</summary>
internal static class DiscreteTimesteps
{
    public static double[] Euler(SchedulerConfig config, int steps)
    {
        var n = config.NumTrainTimesteps;
        var spacing = config.TimestepSpacing ?? "linspace";
        var result = new double[steps];
        switch (spacing)
        {
            case "linspace":
                var lin = NoiseSchedule.Linspace(0, n - 1, steps);
                for (var i = 0; i < steps; i++)
                {
                    result[i] = (float)lin[steps - 1 - i];
                }

                break;
            case "leading":
                var ratio = n / steps;
                for (var i = 0; i < steps; i++)
                {
                    result[i] = ((steps - 1 - i) * ratio) + config.StepsOffset;
                }

                break;
            case "trailing":
                // np.arange(n, 0, -n / steps).round() - 1
                var step = (double)n / steps;
                for (var i = 0; i < steps; i++)
                {
                    result[i] = Math.Round(n - (i * step), MidpointRounding.ToEven) - 1;
                }

                break;
            default:
                throw new NotSupportedException($"timestep_spacing '{spacing}' is not supported (linspace, leading, trailing).");
        }

        return result;
    }
}

namespace RenderFarm.Inference.Schedulers;

/// <summary>Maps a scheduler config (or an operator's override) to one of the samplers implemented here.</summary>
internal static class SchedulerFactory
{
    /// <summary>The sampler key for a diffusers scheduler class; classes without their own implementation here run as Euler on the same schedule.</summary>
    public static string KeyFor(SchedulerConfig config, string? overrideKey)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!string.IsNullOrEmpty(overrideKey))
        {
            return overrideKey;
        }

        return config.ClassName switch
        {
            "EulerAncestralDiscreteScheduler" => "euler-a",
            "LCMScheduler" => "lcm",
            "DPMSolverMultistepScheduler" => config.UseKarrasSigmas ? "dpm++2m-karras" : "dpm++2m",
            "FlowMatchEulerDiscreteScheduler" => "flow-euler",
            // PNDM (SD 1.x's default), DDIM and friends share the DDPM schedule, so Euler on it is a drop-in.
            _ => "euler",
        };
    }

    /// <param name="sigmas">Flow matching only: the pipeline's own unshifted sigmas (one per step), as diffusers' <c>set_timesteps(sigmas=...)</c>.</param>
    public static IDiffusionScheduler Create(string key, SchedulerConfig config, int steps, double? mu = null, IReadOnlyList<float>? sigmas = null) => key switch
    {
        "euler" => new EulerDiscreteScheduler(config, steps),
        "euler-a" => new EulerAncestralDiscreteScheduler(config, steps),
        "lcm" => new LcmScheduler(config, steps),
        "dpm++2m" => new DpmSolverMultistepScheduler(config with { UseKarrasSigmas = false }, steps),
        "dpm++2m-karras" => new DpmSolverMultistepScheduler(config with { UseKarrasSigmas = true }, steps),
        "flow-euler" => sigmas is null ? new FlowMatchEulerScheduler(config, steps, mu) : new FlowMatchEulerScheduler(config, sigmas, mu),
        _ => throw new NotSupportedException($"Unknown sampler '{key}'."),
    };
}

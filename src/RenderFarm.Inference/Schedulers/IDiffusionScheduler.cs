using RenderFarm.Inference.Pipelines;

namespace RenderFarm.Inference.Schedulers;

/// <summary>
/// A sampler for one generation: created for a step count, stepped once per step, then dropped (multistep solvers
/// keep history). Each follows its diffusers namesake, so a scheduler_config.json means the same thing here.
/// </summary>
internal interface IDiffusionScheduler
{
    /// <summary>The name written into image metadata, in the A1111 vocabulary ("Euler a", "DPM++ 2M Karras").</summary>
    string SamplerName { get; }

    /// <summary>The timestep fed to the model at each step.</summary>
    IReadOnlyList<double> Timesteps { get; }

    /// <summary>Noise levels per step plus the final one (one longer than <see cref="Timesteps"/>); empty for DDPM-style samplers.</summary>
    IReadOnlyList<double> Sigmas { get; }

    /// <summary>Standard deviation of the initial latent noise.</summary>
    double InitNoiseSigma { get; }

    /// <summary>The factor diffusers' <c>scale_model_input</c> applies to the latents before the model sees them.</summary>
    double InputScale(int step);

    /// <summary>Advances <paramref name="sample"/> in place from step <paramref name="step"/> to the next.</summary>
    void Step(int step, ReadOnlySpan<float> modelOutput, Span<float> sample, LatentNoise noise);
}

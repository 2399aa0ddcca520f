using RenderFarm.Inference.Sessions;

namespace RenderFarm.Inference.Pipelines;

/// <summary>
/// A <see cref="ZImageTransformer"/> bound for one batch (<see cref="ZImageTransformer.Bind"/>): each run's inputs and
/// output stay bound from step to step, so a step allocates no tensor.
/// </summary>
internal sealed class ZImageBinding : IDisposable
{
    private readonly float[] _latents;
    private readonly float[] _timestep;
    private readonly IReadOnlyList<(float[] Latents, OnnxBinding Binding)> _runs;
    private readonly float[]? _prediction;

    /// <param name="latents">The pipeline's latents for every row, refilled before each step.</param>
    /// <param name="timestep">The array every run's timestep input is bound over.</param>
    /// <param name="runs">One run for the whole batch (bound over <paramref name="latents"/> itself) or one per row, each bound over a row's copy.</param>
    public ZImageBinding(float[] latents, float[] timestep, IReadOnlyList<(float[] Latents, OnnxBinding Binding)> runs)
    {
        _latents = latents;
        _timestep = timestep;
        _runs = runs;
        _prediction = runs.Count > 1 ? new float[latents.Length] : null;
    }

    /// <summary>The model output for every row of the latents at <paramref name="timestep"/> (t'), in an array reused by the next step.</summary>
    public float[] Predict(float timestep, CancellationToken cancellationToken, out TimeSpan elapsed)
    {
        Array.Fill(_timestep, timestep);
        elapsed = TimeSpan.Zero;
        var perRun = _latents.Length / _runs.Count;
        for (var i = 0; i < _runs.Count; i++)
        {
            var (latents, binding) = _runs[i];
            if (!ReferenceEquals(latents, _latents))
            {
                _latents.AsSpan(i * perRun, perRun).CopyTo(latents);
            }

            var output = OrtRun.Run(binding, cancellationToken, out var runElapsed);
            elapsed += runElapsed;
            if (_prediction is null)
            {
                return output;
            }

            output.CopyTo(_prediction, i * perRun);
        }

        return _prediction!;
    }

    public void Dispose()
    {
        foreach (var (_, binding) in _runs)
        {
            binding.Dispose();
        }
    }
}

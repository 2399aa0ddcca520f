using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using RenderFarm.Inference.Sessions;

namespace RenderFarm.Inference.Pipelines;

/// <summary>Runs a model so that cancellation also aborts a long session run, and times it.</summary>
internal static class OrtRun
{
    public static OnnxOutput[] Run(OnnxModel model, IReadOnlyList<OnnxInput> inputs, IReadOnlyList<string> outputs, CancellationToken cancellationToken, out TimeSpan elapsed) =>
        Timed(runOptions => model.Run(inputs, outputs, runOptions), cancellationToken, out elapsed);

    /// <summary>Runs a bound graph; its output, as float32, is the binding's reused <see cref="OnnxBinding.Output"/>.</summary>
    public static float[] Run(OnnxBinding binding, CancellationToken cancellationToken, out TimeSpan elapsed) =>
        Timed(binding.Run, cancellationToken, out elapsed);

    private static T Timed<T>(Func<RunOptions, T> run, CancellationToken cancellationToken, out TimeSpan elapsed)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        var start = Stopwatch.GetTimestamp();
        try
        {
            return run(runOptions);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            elapsed = Stopwatch.GetElapsedTime(start);
        }
    }
}

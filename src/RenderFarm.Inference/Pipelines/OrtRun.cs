using Microsoft.ML.OnnxRuntime;
using RenderFarm.Inference.Sessions;

namespace RenderFarm.Inference.Pipelines;

/// <summary>
/// Runs a model so that cancellation also aborts a long session run. The time it gives is ONNX Runtime's own, so that
/// what our code spends around a run (tensor creation, fp16 conversions, output copies) shows as our overhead.
/// </summary>
internal static class OrtRun
{
    private delegate T TimedRun<out T>(RunOptions runOptions, out TimeSpan elapsed);

    public static OnnxOutput[] Run(OnnxModel model, IReadOnlyList<OnnxInput> inputs, IReadOnlyList<string> outputs, CancellationToken cancellationToken, out TimeSpan elapsed) =>
        Cancellable((RunOptions runOptions, out TimeSpan e) => model.Run(inputs, outputs, runOptions, out e), cancellationToken, out elapsed);

    /// <summary>Runs a bound graph; its output, as float32, is the binding's reused <see cref="OnnxBinding.Output"/>.</summary>
    public static float[] Run(OnnxBinding binding, CancellationToken cancellationToken, out TimeSpan elapsed) =>
        Cancellable(binding.Run, cancellationToken, out elapsed);

    private static T Cancellable<T>(TimedRun<T> run, CancellationToken cancellationToken, out TimeSpan elapsed)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        try
        {
            return run(runOptions, out elapsed);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }
}

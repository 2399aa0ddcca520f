using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using RenderFarm.Inference.Sessions;

namespace RenderFarm.Inference.Pipelines;

/// <summary>Runs a model so that cancellation also aborts a long session run, and times it.</summary>
internal static class OrtRun
{
    public static OnnxOutput[] Run(OnnxModel model, IReadOnlyList<OnnxInput> inputs, IReadOnlyList<string> outputs, CancellationToken cancellationToken, out TimeSpan elapsed)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        var start = Stopwatch.GetTimestamp();
        try
        {
            return model.Run(inputs, outputs, runOptions);
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

using RenderFarm.Core.Generation;

namespace RenderFarm.Inference.Tests;

/// <summary>Synchronous IProgress (Progress&lt;T&gt; posts asynchronously), with an optional hook per report.</summary>
internal sealed class RecordingProgress(Action<GenerationProgress>? onReport = null) : IProgress<GenerationProgress>
{
    public List<GenerationProgress> Reports { get; } = [];

    public void Report(GenerationProgress value)
    {
        Reports.Add(value);
        onReport?.Invoke(value);
    }
}

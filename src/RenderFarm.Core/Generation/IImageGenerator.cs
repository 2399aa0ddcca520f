namespace RenderFarm.Core.Generation;

/// <summary>The engine port: renders a batch of images. Implementations are thread-safe and reuse their sessions.</summary>
public interface IImageGenerator
{
    /// <summary>The models this engine can render on this machine.</summary>
    IReadOnlyCollection<string> Models { get; }

    /// <summary>A short description of the device it runs on, e.g. "cpu" or "cuda:0".</summary>
    string Device { get; }

    Task<GenerationResult> GenerateAsync(GenerationBatch batch, IProgress<GenerationProgress>? progress, CancellationToken cancellationToken);
}

using RenderFarm.Core.Generation;

namespace RenderFarm.Inference.Pipelines;

/// <summary>A loaded model: its sessions, tokenizers and scheduler config. Stateless per call, so one instance serves concurrent batches.</summary>
internal interface IDiffusionPipeline : IDisposable
{
    /// <summary>Width and height must be multiples of this.</summary>
    int SizeMultiple { get; }

    GenerationResult Generate(GenerationBatch batch, IProgress<GenerationProgress>? progress, IPreemption? preemption, GenerationTimings? timings, CancellationToken cancellationToken);
}

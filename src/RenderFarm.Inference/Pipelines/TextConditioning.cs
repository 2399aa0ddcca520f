namespace RenderFarm.Inference.Pipelines;

/// <summary>
/// Encoder outputs for a list of prompts: hidden states [count, sequence, dim] and, for SDXL, pooled embeddings
/// [count, pooledDim].
/// </summary>
internal sealed record TextConditioning(float[] Hidden, int Count, int Sequence, int Dim, float[]? Pooled, int PooledDim);

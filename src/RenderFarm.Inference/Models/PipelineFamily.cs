namespace RenderFarm.Inference.Models;

internal enum PipelineFamily
{
    StableDiffusion,
    StableDiffusionXl,
    ZImage,
}

using RenderFarm.Core.Generation;
using RenderFarm.Inference;

namespace RenderFarm.Worker.Rendering;

/// <summary>
/// Loads every model before the worker takes work (it is registered before the bus, which starts after it), so the
/// first batch does not pay for loading and a worker whose models cannot be loaded stops at start with the reason
/// instead of idling on no queue.
/// </summary>
public sealed class ModelPreloader(IImageGenerator generator, ILogger<ModelPreloader> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (generator.Models.Count == 0)
        {
            throw new InvalidOperationException(
                "This worker has no model to render: put model folders in the diffusers ONNX layout (with model_index.json) under Inference:ModelsRoot, or set Inference:Models:N:Name and Inference:Models:N:Path.");
        }

        if (generator is OnnxImageGenerator onnx)
        {
            foreach (var model in generator.Models)
            {
                onnx.Preload(model);
            }
        }

        logger.LogInformation("Models ready on {Device}: {Models}", generator.Device, string.Join(", ", generator.Models));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

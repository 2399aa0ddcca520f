namespace RenderFarm.Worker.Health;

/// <summary>Whether the worker's models are loaded: set once by <see cref="Rendering.ModelPreloader"/>, read by the readiness check.</summary>
public sealed class WorkerReadiness
{
    private volatile IReadOnlyCollection<string>? _models;

    /// <summary>The models loaded at start; null while they load.</summary>
    public IReadOnlyCollection<string>? LoadedModels => _models;

    public void ModelsLoaded(IReadOnlyCollection<string> models) => _models = models;
}

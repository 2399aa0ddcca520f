using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RenderFarm.Worker.Health;

/// <summary>Ready only once every model was loaded at start, so a pod receives no traffic-like signal before it can render.</summary>
public sealed class ModelsLoadedHealthCheck(WorkerReadiness readiness) : IHealthCheck
{
    public const string Name = "models";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.LoadedModels is { } models
            ? HealthCheckResult.Healthy($"Loaded: {string.Join(", ", models)}")
            : HealthCheckResult.Unhealthy("Models are loading."));
}

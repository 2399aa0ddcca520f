namespace RenderFarm.Coordinator.Health;

/// <summary>The readiness verdict with each check's own: <c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>.</summary>
public sealed record HealthReportView(string Status, IReadOnlyDictionary<string, HealthCheckView> Checks);

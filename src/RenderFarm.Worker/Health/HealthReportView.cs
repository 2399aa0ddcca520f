namespace RenderFarm.Worker.Health;

/// <summary>The answer of <c>/health</c> and <c>/alive</c>, shaped as the coordinator's.</summary>
public sealed record HealthReportView(string Status, IReadOnlyDictionary<string, HealthCheckView> Checks);

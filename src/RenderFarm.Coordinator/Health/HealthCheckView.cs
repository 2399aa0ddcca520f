namespace RenderFarm.Coordinator.Health;

/// <summary>One check's verdict, with why when it is not healthy.</summary>
public sealed record HealthCheckView(string Status, string? Description);

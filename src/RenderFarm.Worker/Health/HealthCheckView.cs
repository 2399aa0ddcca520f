namespace RenderFarm.Worker.Health;

public sealed record HealthCheckView(string Status, string? Description);

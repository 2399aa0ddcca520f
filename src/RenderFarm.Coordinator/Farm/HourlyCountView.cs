namespace RenderFarm.Coordinator.Farm;

/// <summary>Images finished in the hour starting at <see cref="Hour"/> (UTC).</summary>
public sealed record HourlyCountView(DateTimeOffset Hour, int Images);

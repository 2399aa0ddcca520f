namespace RenderFarm.Coordinator.Usage;

/// <summary>Rendered images, engine time and its cost for one studio, model or day.</summary>
public sealed record UsageRow(string Key, long Images, double GpuSeconds, decimal Cost);

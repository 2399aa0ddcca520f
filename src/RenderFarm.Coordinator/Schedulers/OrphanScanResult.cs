namespace RenderFarm.Coordinator.Schedulers;

/// <summary>One orphan scan: objects listed, those no image row points to, those of them removed, and keys not in the farm's layout (left alone).</summary>
public sealed record OrphanScanResult(int Listed, int Orphans, int Removed, int Foreign);

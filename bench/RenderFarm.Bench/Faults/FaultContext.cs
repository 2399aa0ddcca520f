using RenderFarm.Bench.Farm;

namespace RenderFarm.Bench.Faults;

/// <summary>What a fault acts on: the farm's processes, the servers under it, and the run's timing.</summary>
public sealed record FaultContext(BenchFarm Farm, BenchServers Servers, TimeSpan Outage, CancellationToken CancellationToken);

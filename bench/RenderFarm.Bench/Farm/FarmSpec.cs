namespace RenderFarm.Bench.Farm;

/// <summary>What one farm run is made of.</summary>
/// <param name="Overrides">Extra settings (<c>Section__Key</c>) for every farm process, from <c>--set</c>.</param>
/// <param name="KeepLogs">Keep the processes' logs even when the run succeeds.</param>
/// <param name="Hosts">The coordinator and worker programs to start.</param>
public sealed record FarmSpec(EngineSpec Engine, int Workers, int ImageSize, IReadOnlyDictionary<string, string> Overrides, bool KeepLogs, FarmHosts Hosts);

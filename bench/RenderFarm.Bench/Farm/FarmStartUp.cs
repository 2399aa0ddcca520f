namespace RenderFarm.Bench.Farm;

/// <summary>A fresh farm's start: what a pod that KEDA or a rollout starts costs before it renders at pace.</summary>
/// <param name="CoordinatorReady">Coordinator process started → its API answers (the database migrated).</param>
/// <param name="WorkersReady">Worker processes started → every one registered with the coordinator.</param>
/// <param name="WarmUpJob">The warm-up job created → finished, the farm's first work; null without one.</param>
/// <param name="ProcessCpu">CPU of the coordinator and the workers from their start to the end of the warm-up job.</param>
public sealed record FarmStartUp(TimeSpan CoordinatorReady, TimeSpan WorkersReady, TimeSpan? WarmUpJob, TimeSpan ProcessCpu);

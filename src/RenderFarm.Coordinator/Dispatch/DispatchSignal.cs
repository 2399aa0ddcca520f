using RenderFarm.Infrastructure.Hosting;

namespace RenderFarm.Coordinator.Dispatch;

/// <summary>Wakes the dispatcher early when something it cares about happened (a job arrived, an image finished).</summary>
public sealed class DispatchSignal : WakeSignal;

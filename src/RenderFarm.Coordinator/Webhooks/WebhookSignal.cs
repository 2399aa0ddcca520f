using RenderFarm.Infrastructure.Hosting;

namespace RenderFarm.Coordinator.Webhooks;

/// <summary>Wakes this replica's webhook sender when a delivery was written here, so a finished job's call goes out at once.</summary>
public sealed class WebhookSignal : WakeSignal;

namespace RenderFarm.Coordinator.Events;

/// <summary>Names this coordinator process, so that its own temporary queues never compete with another replica's.</summary>
public sealed class ReplicaIdentity
{
    public string Id { get; } = Guid.NewGuid().ToString("N")[..12];
}

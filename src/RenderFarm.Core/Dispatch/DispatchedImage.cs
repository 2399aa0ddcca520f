namespace RenderFarm.Core.Dispatch;

/// <summary>An image the database says is on its way to or at a worker: dispatched, not yet reported.</summary>
public sealed record DispatchedImage(Guid Id, string Model, DateTimeOffset DispatchedAt);

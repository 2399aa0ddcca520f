namespace RenderFarm.Coordinator.Farm;

/// <summary>Images of one model and priority still to render: waiting in the database, or already on the bus.</summary>
public sealed record QueueDepthView(string Model, string Priority, int Pending, int Dispatched);

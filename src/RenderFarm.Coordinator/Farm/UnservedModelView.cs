namespace RenderFarm.Coordinator.Farm;

/// <summary>Images waiting for a model (with labels) that no live worker serves: "no worker for model X".</summary>
/// <param name="Waiting">The jobs' images not yet rendered: pending, or still on the bus from a worker that left.</param>
public sealed record UnservedModelView(string Model, IReadOnlyList<string> RequireLabels, int Jobs, int Waiting);

namespace RenderFarm.Coordinator.Farm;

/// <summary>Images waiting for a model (with labels) that no live worker serves: "no worker for model X".</summary>
public sealed record UnservedModelView(string Model, IReadOnlyList<string> RequireLabels, int Jobs, int Pending);

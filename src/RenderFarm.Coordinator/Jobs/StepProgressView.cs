namespace RenderFarm.Coordinator.Jobs;

/// <summary>How far the job's images in an engine are: step <see cref="Step"/> of <see cref="TotalSteps"/>.</summary>
public sealed record StepProgressView(int Step, int TotalSteps);

namespace RenderFarm.Core.Generation;

public readonly record struct GenerationProgress(int Step, int TotalSteps);

namespace RenderFarm.Coordinator.Jobs;

public sealed record JobAccepted(Guid Id, int ImageCount, string Status);

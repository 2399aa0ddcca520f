namespace RenderFarm.Coordinator.Studios;

public sealed record SignInRequest(string? Key);

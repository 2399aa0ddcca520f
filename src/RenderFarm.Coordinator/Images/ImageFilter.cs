namespace RenderFarm.Coordinator.Images;

/// <summary>Which rendered images the gallery asks for; every criterion is optional.</summary>
public sealed record ImageFilter(Guid? JobId, string? Prompt, string? Model, DateTimeOffset? From, DateTimeOffset? To, int Limit);

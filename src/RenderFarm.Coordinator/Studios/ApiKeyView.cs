namespace RenderFarm.Coordinator.Studios;

/// <summary>A key as lists show it: never the key, only its prefix.</summary>
public sealed record ApiKeyView(
    Guid Id,
    Guid StudioId,
    string Name,
    string Role,
    string Prefix,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt);

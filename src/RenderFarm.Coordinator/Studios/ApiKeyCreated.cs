namespace RenderFarm.Coordinator.Studios;

/// <summary>The answer to creating a key: the only time the key itself is shown.</summary>
public sealed record ApiKeyCreated(ApiKeyView Info, string Key);

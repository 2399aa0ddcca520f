namespace RenderFarm.Coordinator.Studios;

/// <param name="StudioId">The studio the key is for; the caller's own when omitted (only admins may name another).</param>
/// <param name="Role">viewer, artist, manager or admin (admins only).</param>
public sealed record ApiKeyRequest(string? Name, string? Role, Guid? StudioId = null, DateTimeOffset? ExpiresAt = null);

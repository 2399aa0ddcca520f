namespace RenderFarm.Core.Studios;

/// <summary>A member's key. The key itself is shown once at creation; only its hash and a short prefix are kept.</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }

    public Guid StudioId { get; set; }

    public StudioRole Role { get; set; }

    /// <summary>Who or what holds the key ("alice", "nightly-schedule-bot").</summary>
    public string Name { get; set; } = "";

    /// <summary>The key's first characters: enough to tell keys apart in lists and the audit log, useless to an attacker.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>SHA-256 of the whole key. Keys carry 256 random bits, so a fast hash is as good as a slow one here.</summary>
    public byte[] Hash { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

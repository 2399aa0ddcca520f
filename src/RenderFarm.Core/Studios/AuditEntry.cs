namespace RenderFarm.Core.Studios;

/// <summary>Who did what to the farm, when, with which key. Never holds a key or token, only its prefix.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The studio the action concerned (whose managers may read it); null for farm-wide actions.</summary>
    public Guid? StudioId { get; set; }

    public Guid? KeyId { get; set; }

    /// <summary>The acting key's prefix, or "system" / "bootstrap" / a token subject.</summary>
    public string Actor { get; set; } = "";

    /// <summary>What happened: <c>job.submitted</c>, <c>key.revoked</c>, <c>schedule.updated</c> …</summary>
    public string Action { get; set; } = "";

    /// <summary>The id or name of what it happened to.</summary>
    public string Target { get; set; } = "";

    public string? Detail { get; set; }
}

namespace RenderFarm.Core.Studios;

/// <summary>What a key may do, each role including the ones below it.</summary>
public enum StudioRole
{
    /// <summary>Reads the studio's jobs, images and schedules.</summary>
    Viewer = 0,

    /// <summary>Also submits, cancels and steers the studio's jobs.</summary>
    Artist = 1,

    /// <summary>Also manages the studio's keys and schedules and reads its usage and audit log.</summary>
    Manager = 2,

    /// <summary>The whole farm: every studio, workers, quotas.</summary>
    Admin = 3,
}

namespace RenderFarm.Core.Studios;

/// <summary>
/// Whose rows this unit of work may see. The database applies it to every query on jobs, images and schedules, so an
/// endpoint cannot forget it: another studio's row simply does not exist for the caller (404, no existence leak).
/// </summary>
/// <remarks>
/// Unrestricted unless restricted: the farm's own background work (dispatcher, recorder, schedules, housekeeping)
/// sees everything. HTTP requests are restricted before any endpoint runs, to nothing until a caller is known.
/// </remarks>
public sealed class StudioScope
{
    public bool IsRestricted { get; private set; }

    /// <summary>The studio whose rows a restricted scope sees; <see cref="Guid.Empty"/> sees none.</summary>
    public Guid StudioId { get; private set; }

    public void RestrictTo(Guid studioId)
    {
        IsRestricted = true;
        StudioId = studioId;
    }

    public void Unrestrict()
    {
        IsRestricted = false;
        StudioId = Guid.Empty;
    }
}

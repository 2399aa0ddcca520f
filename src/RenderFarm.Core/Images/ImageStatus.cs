namespace RenderFarm.Core.Images;

public enum ImageStatus
{
    /// <summary>Waiting in the database; never left it.</summary>
    Pending,

    /// <summary>Sent to the bus, not yet finished by a worker.</summary>
    Dispatched,
    Rendered,
    Failed,
    Cancelled,
}

namespace RenderFarm.Core.Jobs;

public enum JobStatus
{
    Queued,
    Running,
    Completed,
    CompletedWithErrors,
    Failed,
    Cancelled,

    /// <summary>Held by its owner: nothing more is dispatched until it is resumed; images already on workers finish.</summary>
    Paused,
}

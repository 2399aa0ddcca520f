namespace RenderFarm.Core.Jobs;

public enum JobStatus
{
    Queued,
    Running,
    Completed,
    CompletedWithErrors,
    Failed,
    Cancelled,
}

namespace RenderFarm.Coordinator.Jobs;

/// <summary>How a synchronous job ended for the caller.</summary>
public enum SynchronousJobOutcome
{
    /// <summary>The request was refused; nothing was submitted.</summary>
    Invalid,

    /// <summary>The job finished (completed, with errors, failed, or cancelled by someone else).</summary>
    Finished,

    /// <summary>The job did not finish in time and was cancelled.</summary>
    TimedOut,
}

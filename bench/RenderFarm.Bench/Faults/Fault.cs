namespace RenderFarm.Bench.Faults;

/// <summary>
/// One fault the suite injects into a farm rendering a job: <see cref="PrepareAsync"/> before the job is submitted,
/// <see cref="InjectAsync"/> once <see cref="InjectAt"/> of the job has rendered; it returns when the fault is over (a
/// server back, a process restarted, a bad worker stepped aside), the moment from which recovery is timed.
/// </summary>
/// <param name="MaxAttempts">The most attempts any image may be charged: infrastructure faults charge none beyond the first.</param>
/// <param name="InjectAt">The fraction of the job rendered before the fault is injected.</param>
public sealed record Fault(
    string Name,
    string Description,
    int MaxAttempts,
    Func<FaultContext, Task> InjectAsync,
    Func<FaultContext, Task>? PrepareAsync = null,
    double InjectAt = 0.25);

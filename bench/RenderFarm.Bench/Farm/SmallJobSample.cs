namespace RenderFarm.Bench.Farm;

/// <summary>One small-job-behind-a-big-job run, in milliseconds and in batch times (one full batch's engine time).</summary>
/// <param name="BigImagesDone">How far the big job had got when the small one was submitted.</param>
/// <param name="FirstDispatchMilliseconds">Small job created → its first image dispatched.</param>
/// <param name="LatencyMilliseconds">Small job created → small job finished.</param>
/// <param name="FinaliseMilliseconds">The small job's last image recorded → the job finished: the farm's own share at the end.</param>
public sealed record SmallJobSample(
    EngineSpec Engine,
    int Workers,
    int BigImages,
    int SmallImages,
    int BigImagesDone,
    double BatchMilliseconds,
    double? FirstDispatchMilliseconds,
    double LatencyMilliseconds,
    double FinaliseMilliseconds)
{
    public double LatencyBatches => LatencyMilliseconds / BatchMilliseconds;

    public double? FirstDispatchBatches => FirstDispatchMilliseconds / BatchMilliseconds;
}

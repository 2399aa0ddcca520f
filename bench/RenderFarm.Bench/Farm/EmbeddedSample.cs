namespace RenderFarm.Bench.Farm;

/// <summary>One embedded run and the bare engine measured right after it, so their ratio is paired.</summary>
/// <param name="CommandSeconds">The whole <c>render</c> command: start-up, model load, the job, writing the files.</param>
/// <param name="JobSeconds">Job created → job finished, from the embedded database.</param>
/// <param name="FreshJobSeconds">The same, of the command run as a process of its own (the in-process runs after the first find the farm's code compiled).</param>
/// <param name="FreshCommandSeconds">That whole command, as a user waits for it.</param>
/// <param name="BareImagesPerSecond">The same engine alone, called with full batches of the worker's batch size.</param>
public sealed record EmbeddedSample(int Images, double CommandSeconds, double JobSeconds, double FreshJobSeconds, double FreshCommandSeconds, EngineUsage Usage, double BareImagesPerSecond)
{
    public double JobImagesPerSecond => Images / JobSeconds;

    public double CommandImagesPerSecond => Images / CommandSeconds;

    public double FreshJobImagesPerSecond => Images / FreshJobSeconds;

    public double FreshCommandImagesPerSecond => Images / FreshCommandSeconds;

    public double Ratio => JobImagesPerSecond / BareImagesPerSecond;

    public double FreshRatio => FreshJobImagesPerSecond / BareImagesPerSecond;

    public double EngineBusy => Usage.BusyMilliseconds / (JobSeconds * 1000);
}

namespace RenderFarm.Inference.Pipelines;

/// <summary>Where a generation's time went; filled when the caller asks (the benchmark), ignored otherwise.</summary>
internal sealed class GenerationTimings
{
    public TimeSpan TextEncoding { get; set; }
    public TimeSpan DenoiseSession { get; set; }
    public TimeSpan DenoiseTotal { get; set; }
    public TimeSpan DecodeSession { get; set; }
    public TimeSpan DecodeTotal { get; set; }
    public TimeSpan Total { get; set; }
    public int Steps { get; set; }
}

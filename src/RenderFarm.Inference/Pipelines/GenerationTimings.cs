using System.Diagnostics;

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

    /// <summary>Denoiser (unet / transformer) session runs: a step that runs CFG as one doubled batch is one forward.</summary>
    public int Forwards { get; set; }

    /// <summary>Of <see cref="Forwards"/>, those run through IO binding (<see cref="InferenceOptions.IoBinding"/>).</summary>
    public int BoundForwards { get; set; }

    public void RecordForward(bool bound)
    {
        Forwards++;
        if (bound)
        {
            BoundForwards++;
        }
    }

    /// <param name="start">A <see cref="Stopwatch.GetTimestamp"/> taken when the stage began.</param>
    public void RecordTextEncoding(long start) => TextEncoding += Stopwatch.GetElapsedTime(start);

    public void RecordDenoising(TimeSpan session, long loopStart, int steps)
    {
        DenoiseSession += session;
        DenoiseTotal += Stopwatch.GetElapsedTime(loopStart);
        Steps += steps;
    }

    public void RecordDecoding(TimeSpan session, long start)
    {
        DecodeSession += session;
        DecodeTotal += Stopwatch.GetElapsedTime(start);
    }

    public void RecordTotal(long start) => Total += Stopwatch.GetElapsedTime(start);
}

namespace RenderFarm.Bench.Faults;

/// <summary>
/// What one fault did to the job it hit and to the farm.
/// </summary>
/// <param name="Outage">From the injection to the end of the fault.</param>
/// <param name="Recovery">From the end of the fault until a small job submitted then had finished: how soon the farm serves new work.</param>
/// <param name="JobFinishedAfter">From the end of the fault until the job it hit had finished.</param>
/// <param name="EngineImages">Images that went through the workers' engines for the job and the probe: above their sum, renders done twice (a killed worker's last report may lag).</param>
/// <param name="Problems">Every way the run fell short of "completed, each image rendered exactly once"; empty when it passed.</param>
public sealed record FaultOutcome(
    string Fault,
    string Description,
    TimeSpan Outage,
    TimeSpan? Recovery,
    TimeSpan? JobFinishedAfter,
    string Status,
    ImageTally Images,
    long? EngineImages,
    IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;
}

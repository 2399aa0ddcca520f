namespace RenderFarm.Core.Workers;

/// <summary>What a worker says it is doing in its heartbeat; only an active worker's capacity is dispatched to.</summary>
public static class WorkerStates
{
    public const string Active = "active";

    /// <summary>Finishing the images it holds and taking no more (an operator's drain, or the process stopping).</summary>
    public const string Draining = "draining";

    /// <summary>Stepped aside after consecutive engine failures until an operator releases it.</summary>
    public const string Quarantined = "quarantined";
}

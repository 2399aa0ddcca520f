using RenderFarm.Core.Dispatch;

namespace RenderFarm.Coordinator.Jobs;

/// <summary>What became of a submitted job: accepted, invalid (<see cref="Errors"/> by field), or refused for want of a worker.</summary>
/// <param name="NoWorker">Why a job that asked for <c>requireWorker</c> was refused; null otherwise.</param>
/// <param name="MissesDeadline">The estimate of a job refused because it asked <c>requireDeadline</c> and cannot make it.</param>
public sealed record JobSubmission(JobAccepted? Accepted, Dictionary<string, string[]> Errors, string? NoWorker = null, JobEstimate? MissesDeadline = null)
{
    public void Deconstruct(out JobAccepted? accepted, out Dictionary<string, string[]> errors)
    {
        accepted = Accepted;
        errors = Errors;
    }
}

namespace RenderFarm.Core.Jobs;

/// <summary>The wire names of job states and priorities (snake_case, as the API documents them).</summary>
public static class JobStatusNames
{
    public static string ToWire(this JobStatus status) => status switch
    {
        JobStatus.Queued => "queued",
        JobStatus.Running => "running",
        JobStatus.Completed => "completed",
        JobStatus.CompletedWithErrors => "completed_with_errors",
        JobStatus.Failed => "failed",
        JobStatus.Cancelled => "cancelled",
        JobStatus.Paused => "paused",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParseStatus(string? value, out JobStatus status)
    {
        foreach (var candidate in Enum.GetValues<JobStatus>())
        {
            if (string.Equals(candidate.ToWire(), value, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    public static string ToWire(this JobPriority priority) => priority.ToString().ToLowerInvariant();

    public static bool TryParsePriority(string? value, out JobPriority priority) =>
        Enum.TryParse(value, ignoreCase: true, out priority) && Enum.IsDefined(priority);

    public static bool IsFinished(this JobStatus status) =>
        status is JobStatus.Completed or JobStatus.CompletedWithErrors or JobStatus.Failed or JobStatus.Cancelled;
}

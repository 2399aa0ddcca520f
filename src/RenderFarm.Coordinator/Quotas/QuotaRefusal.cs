namespace RenderFarm.Coordinator.Quotas;

/// <summary>Why a submission was refused: which quota, its limit, what is used, and when to try again (if a window applies).</summary>
public sealed record QuotaRefusal(string Quota, long Limit, long Used, long Requested, TimeSpan? RetryAfter)
{
    public string Describe() =>
        $"Quota {Quota} is {Limit}; {Used} used, this request needs {Requested}." +
        (RetryAfter is { } wait ? $" The window resets in {Math.Ceiling(wait.TotalMinutes)} min." : "");
}

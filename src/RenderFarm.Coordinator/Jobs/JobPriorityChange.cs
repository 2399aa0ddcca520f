namespace RenderFarm.Coordinator.Jobs;

/// <summary>The body of <c>POST /api/jobs/{id}/priority</c>.</summary>
public sealed record JobPriorityChange
{
    /// <summary><c>low</c>, <c>normal</c> or <c>high</c>.</summary>
    public string? Priority { get; init; }
}

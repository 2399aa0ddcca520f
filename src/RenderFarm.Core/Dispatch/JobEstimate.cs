namespace RenderFarm.Core.Dispatch;

/// <summary>When a job should finish at the farm's measured pace; null when nothing has been measured for its model.</summary>
/// <param name="AtRisk">Its deadline is before its estimated finish.</param>
/// <param name="Infeasible">It would miss its deadline even with its model's whole farm to itself.</param>
public sealed record JobEstimate(DateTimeOffset? Eta, bool AtRisk, bool Infeasible);

namespace RenderFarm.Core.Jobs;

/// <summary>Higher values are dispatched first.</summary>
public enum JobPriority
{
    Low = 0,
    Normal = 1,
    High = 2,
}

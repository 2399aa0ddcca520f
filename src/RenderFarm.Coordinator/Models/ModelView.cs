namespace RenderFarm.Coordinator.Models;

/// <summary>A model a job may name, with the size rules and defaults a form needs before it submits.</summary>
public sealed record ModelView(
    string Name,
    bool IsDefault,
    int SizeMultiple,
    int MinSize,
    int MaxSize,
    int DefaultWidth,
    int DefaultHeight,
    int DefaultSteps,
    double DefaultGuidance);

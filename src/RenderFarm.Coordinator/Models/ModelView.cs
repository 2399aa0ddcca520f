using RenderFarm.Core.Models;

namespace RenderFarm.Coordinator.Models;

/// <summary>A model a job may name, with the size rules and defaults a form needs before it submits, and who serves it.</summary>
/// <param name="Workers">Live workers serving it; none means its jobs wait (it is still listed for the grace period, or configured).</param>
/// <param name="Conflicts">Each identity advertised under this name when workers disagree, with the workers holding it; empty when they agree.</param>
public sealed record ModelView(
    string Name,
    bool IsDefault,
    int SizeMultiple,
    int MinSize,
    int MaxSize,
    int DefaultWidth,
    int DefaultHeight,
    int DefaultSteps,
    double DefaultGuidance,
    string Family,
    string? Sampler,
    string? Identity,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> RequireLabels,
    IReadOnlyList<string> Workers,
    IReadOnlyList<ModelConflict> Conflicts,
    bool Configured,
    DateTimeOffset? LastSeen)
{
    public static ModelView From(CatalogModel model, string? defaultName)
    {
        ArgumentNullException.ThrowIfNull(model);
        var d = model.Definition;
        return new ModelView(d.Name, d.Name == defaultName, d.SizeMultiple, d.MinSize, d.MaxSize, d.DefaultWidth, d.DefaultHeight,
            d.DefaultSteps, d.DefaultGuidance, d.Family, d.Sampler, model.Identity, model.Aliases, d.RequireLabels, model.Workers,
            model.Conflicts, model.Configured, model.LastSeen);
    }
}

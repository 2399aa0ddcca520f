namespace RenderFarm.Core.Models;

/// <summary>A model of the catalog: its rules, who serves it now, and what is wrong with it.</summary>
/// <param name="Identity">The identity the catalog took the rules from (null for a model only configured).</param>
/// <param name="Workers">Live workers serving it, whatever labels they have.</param>
/// <param name="Conflicts">Every identity advertised under this name when there are several, with its workers; empty when they agree.</param>
/// <param name="Configured">Whether <c>Models:Available</c> names it.</param>
/// <param name="LastSeen">When a worker serving it was last heard from; null for a model only configured.</param>
public sealed record CatalogModel(
    ModelDefinition Definition,
    string? Identity,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> Workers,
    IReadOnlyList<ModelConflict> Conflicts,
    bool Configured,
    DateTimeOffset? LastSeen)
{
    public string Name => Definition.Name;
}
